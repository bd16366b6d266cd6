//! `#[derive(Mapped)]`: parse the struct, map its field types, emit the mapper definition.

mod expand;
mod members;
mod parse;
mod relationship;
mod values;

pub(crate) fn derive(input: &syn::DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    let model = parse::Model::parse(input)?;
    Ok(expand::expand(&model))
}
