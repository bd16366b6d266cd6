//! `#[hooks::events]`: declares an event family.

mod expand;
mod parse;

use proc_macro2::TokenStream;

pub(crate) fn events(args: TokenStream, item: TokenStream) -> TokenStream {
    let args = match syn::parse2::<parse::FamilyArgs>(args) {
        Ok(args) => args,
        Err(e) => return fallback(e, item),
    };
    let item = match syn::parse2::<syn::ItemTrait>(item.clone()) {
        Ok(item) => item,
        Err(_) => {
            let e = syn::Error::new(
                proc_macro2::Span::call_site(),
                "`#[hooks::events]` declares an event family on a trait: \
                 `pub trait PoolEvents { fn connect(conn: &Conn); }`",
            );
            return fallback(e, item);
        }
    };
    match parse::FamilyDecl::parse(args, item.clone()) {
        Ok(family) => expand::expand(&family),
        Err(e) => {
            let errors = e.to_compile_error();
            quote::quote!(#errors)
        }
    }
}

/// On an error the item is still emitted, so that its uses do not cascade into more errors.
fn fallback(error: syn::Error, item: TokenStream) -> TokenStream {
    let error = error.to_compile_error();
    quote::quote!(#error #item)
}
