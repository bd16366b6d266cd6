//! `#[hooks::events]`: declares an event family.

mod expand;
pub(crate) mod forms;
mod parse;

use proc_macro2::TokenStream;

pub(crate) fn events(args: TokenStream, item: &TokenStream) -> TokenStream {
    let (args, args_result) = parse::FamilyArgs::parse(args);
    let Ok(trait_item) = syn::parse2::<syn::ItemTrait>(item.clone()) else {
        let e = syn::Error::new(
            proc_macro2::Span::call_site(),
            "`#[hooks::events]` declares an event family on a trait: \
             `pub trait PoolEvents { fn connect(conn: &Conn); }`",
        )
        .to_compile_error();
        // The item is still emitted, so that its uses do not cascade into more errors.
        return quote::quote!(#e #item);
    };
    let (family, family_result) = parse::FamilyDecl::parse(args, trait_item);
    // Every error is reported, and whatever part of the family is valid is still expanded, so
    // that its uses do not cascade into errors of their own.
    let errors = [args_result.err(), family_result.err()]
        .into_iter()
        .flatten()
        .map(|e| e.to_compile_error());
    let family = family.map(|f| expand::expand(&f));
    quote::quote!(#(#errors)* #family)
}
