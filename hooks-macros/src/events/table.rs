//! The family's hidden `macro_rules!` table, which targets read its descriptor from.

use proc_macro2::TokenStream;
use quote::quote;

use super::parse::FamilyDecl;
use super::shape::Shape;
use crate::common::unique_macro_name;
use crate::descriptor::{EventDesc, FamilyDesc};

pub(super) fn expand_table(family: &FamilyDecl, shapes: &[Shape<'_>]) -> TokenStream {
    let (vis, ident) = (&family.vis, &family.ident);
    let desc = FamilyDesc {
        name: ident.to_string(),
        events: shapes
            .iter()
            .map(|s| EventDesc {
                name: s.name.to_string(),
                contract: s.event.contract,
                modifiers: s.accepted_modifiers(),
                deprecated: s.event.deprecated,
            })
            .collect(),
    };
    let table = unique_macro_name("family", ident);
    // The table expands at each target's site, perhaps in another crate.
    let krate = family.args.krate.in_table();
    quote! {
        #[doc(hidden)]
        #[macro_export]
        macro_rules! #table {
            (@hooks_collect { $($state:tt)* }) => {
                #krate::__private::target_collect! { { $($state)* } #desc }
            };
        }
        #[doc(hidden)]
        #vis use #table as #ident;
    }
}
