//! The derive of `hooks-orm`. Use it through `hooks_orm::Mapped`; generated code names only
//! `::hooks_orm::__private::…`.

mod class_level;
mod mapped;

/// `#[derive(Mixin)]`: see `hooks_orm::Mixin`.
#[proc_macro_derive(Mixin)]
pub fn derive_mixin(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    let ident = &input.ident;
    if !input.generics.params.is_empty() {
        return syn::Error::new_spanned(&input.generics, "a mixin cannot be generic")
            .into_compile_error()
            .into();
    }
    let level = class_level::level(ident);
    let target = class_level::target(ident, &input.vis, &proc_macro2::TokenStream::new());
    quote::quote! {
        const _: () = {
            #level

            #[automatically_derived]
            impl ::hooks_orm::Mixin for #ident {
                const LEVEL: &'static ::hooks_orm::ClassLevel = &__HOOKS_ORM_LEVEL;
            }
        };
        #target
    }
    .into()
}

/// `#[derive(Mapped)]`: see `hooks_orm::Mapped`.
#[proc_macro_derive(Mapped, attributes(mapped, column, relationship))]
pub fn derive_mapped(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    mapped::derive(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
