//! The column-value accessors of the `Mapped` impl: build the struct from a row's values and
//! write one column, so the ORM's object handle (`hooks_orm::Obj`) can load rows and record
//! each attribute write itself.

use proc_macro2::TokenStream;
use quote::quote;

use super::parse::Model;

/// `from_values` and `set_value`, items of the `Mapped` impl. Both move the values into the
/// fields: a loaded row's texts become the struct's `String`s without a copy.
pub(crate) fn accessors(model: &Model, h: &TokenStream) -> TokenStream {
    let count = model.columns.len();
    let fields = model.columns.iter().enumerate().map(|(index, column)| {
        let field = &column.ident;
        quote!(#field: #h::FromColumn::from_column(::core::mem::take(&mut values[#index]))?)
    });
    // Relationships start empty and unloaded: the ORM loads them on first access.
    let relationships = model.relationships.iter().map(|r| {
        let field = &r.ident;
        quote!(#field: ::core::default::Default::default())
    });
    let arms = model.columns.iter().enumerate().map(|(index, column)| {
        let field = &column.ident;
        quote!(#index => self.#field = #h::FromColumn::from_column(value)?,)
    });
    quote! {
        fn from_values(
            mut values: ::std::vec::Vec<#h::Value>,
        ) -> ::core::result::Result<Self, #h::ValueError> {
            #h::check_width(<Self as ::hooks_orm::Mapped>::MAPPER, values.len(), #count)?;
            ::core::result::Result::Ok(Self { #(#fields,)* #(#relationships,)* })
        }

        fn set_value(
            &mut self,
            column: usize,
            value: #h::Value,
        ) -> ::core::result::Result<(), #h::ValueError> {
            match column {
                #(#arms)*
                _ => return ::core::result::Result::Err(
                    #h::ValueError::no_column(<Self as ::hooks_orm::Mapped>::MAPPER, column),
                ),
            }
            ::core::result::Result::Ok(())
        }
    }
}
