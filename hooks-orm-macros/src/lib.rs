//! The derive of `hooks-orm`. Use it through `hooks_orm::Mapped`; generated code names only
//! `::hooks_orm::__private::…`.

mod mapped;

/// `#[derive(Mapped)]`: see `hooks_orm::Mapped`.
#[proc_macro_derive(Mapped, attributes(mapped, column, relationship))]
pub fn derive_mapped(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    mapped::derive(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
