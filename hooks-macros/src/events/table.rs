//! The family's hidden `macro_rules!` table, which targets read its descriptor from.

use proc_macro2::TokenStream;
use quote::quote;

use super::parse::FamilyDecl;
use super::shape::Shape;
use crate::common::{tidy, type_text, unique_macro_name};
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
                params: s
                    .event
                    .params
                    .iter()
                    .map(|p| (p.ident.to_string(), type_text(&p.ty)))
                    .collect(),
                plain_ret: return_text(&s.plain_ret),
                retval_ret: s.retval_ret.as_ref().map_or_else(String::new, return_text),
                target_param: s.event.params.iter().position(|p| p.target),
            })
            .collect(),
        targets: family
            .args
            .targets
            .iter()
            .map(ToString::to_string)
            .collect(),
    };
    let table = unique_macro_name("family", ident);
    // The table expands at each target's site, perhaps in another crate.
    let krate = family.args.krate.in_table();
    let name = ident.to_string();
    let targets = family.args.targets.iter().map(ToString::to_string);
    quote! {
        #[doc(hidden)]
        #[macro_export]
        macro_rules! #table {
            (@hooks_collect { $($state:tt)* }) => {
                #krate::__private::target_collect! { { $($state)* } #desc }
            };
            (@hooks_name) => {};
            // `#[listens_for(ThisFamily, …)]`: the family named where its target belongs.
            (@hooks_listens_for { $($input:tt)* }) => {
                #krate::__private::listens_for_impl! { { family #name [#(#targets)*] } $($input)* }
            };
        }
        #[doc(hidden)]
        #vis use #table as #ident;
    }
}

/// A listener's return type as text, `""` for `()`.
fn return_text(ret: &TokenStream) -> String {
    let text = tidy(&ret.to_string());
    if text == "()" { String::new() } else { text }
}
