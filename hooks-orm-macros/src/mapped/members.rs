//! Each column as a target of its own (`#[listens_for(User::phone, "set")]`): a hidden unit
//! type next to the struct, declared a target of the column type's attribute family, and the
//! two fns that fire a column's target from the write path.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::parse::{Column, Model};

/// The hidden type that stands for `User::phone`.
fn member_type(model: &Model, column: &Column) -> syn::Ident {
    format_ident!("__hooks_orm_{}_{}", model.ident, column.ident)
}

/// The family of the column's type: `String` → `StringAttributeEvents`, `Option<i64>` →
/// `OptionI64AttributeEvents`.
fn family(column: &Column) -> TokenStream {
    let base = match column.rust_type {
        "String" => "String",
        "bool" => "Bool",
        other => &other.to_uppercase(),
    };
    let option = if column.nullable { "Option" } else { "" };
    let family = format_ident!("{option}{base}AttributeEvents");
    quote!(::hooks_orm::events::members::#family)
}

/// `members(phone = __hooks_orm_User_phone, …)`, for the class's own target declaration.
pub(crate) fn members_option(model: &Model) -> TokenStream {
    let members = model.columns.iter().map(|column| {
        let (name, ty) = (&column.ident, member_type(model, column));
        quote!(#name = #ty)
    });
    quote!(members(#(#members),*),)
}

/// The member types and their target declarations, at module level (listeners name them by
/// the struct's module path).
pub(crate) fn targets(model: &Model) -> TokenStream {
    let (ident, vis) = (&model.ident, &model.vis);
    let targets = model.columns.iter().map(|column| {
        let ty = member_type(model, column);
        let family = family(column);
        let name = format!("{ident}::{}", column.ident);
        quote! {
            #[doc(hidden)]
            #[allow(non_camel_case_types)]
            #vis struct #ty;

            ::hooks_orm::__private::hooks::declare_target!(
                #vis #ty: #family(class_only),
                view = ::hooks_orm::Obj<#ident>,
                name = #name,
                crate = ::hooks_orm::__private::hooks
            );
        }
    });
    quote!(#(#targets)*)
}

/// The class's `member_set` / `member_modified` fns and the impls that let a member's
/// listeners take `&Obj<User>`; for the derive's `const _` block.
pub(crate) fn fire_fns(model: &Model) -> TokenStream {
    let h = quote!(::hooks_orm::__private);
    let ident = &model.ident;
    let index = (0..model.columns.len()).collect::<Vec<_>>();
    let types: Vec<_> = model
        .columns
        .iter()
        .map(|c| member_type(model, c))
        .collect();
    let families: Vec<_> = model.columns.iter().map(family).collect();
    let field_types = model.columns.iter().map(|c| &c.ty);
    let dispatch = |ty: &syn::Ident, family: &TokenStream| quote!(#h::hooks::Class::<#ty>::new().dispatch::<dyn #family>());
    let sets = types.iter().zip(&families).map(|(ty, f)| dispatch(ty, f));
    let modifieds = types.iter().zip(&families).map(|(ty, f)| dispatch(ty, f));
    quote! {
        #(impl #h::ObjectClass for #types { type Class = #ident; })*

        fn __hooks_orm_member_set(
            column: usize,
            target: &::hooks_orm::AnyInstance,
            value: #h::Value,
            oldvalue: &#h::Value,
            initiator: &::hooks_orm::Initiator,
        ) -> ::core::result::Result<#h::Value, ::hooks_orm::ListenerError> {
            match column {
                #(#index => #h::member_set::<#field_types>(value, oldvalue, &|value, oldvalue| {
                    #sets.set(target, value, oldvalue, initiator)
                }),)*
                _ => ::core::result::Result::Ok(value),
            }
        }

        fn __hooks_orm_member_modified(
            column: usize,
            target: &::hooks_orm::AnyInstance,
            initiator: &::hooks_orm::Initiator,
        ) {
            match column {
                #(#index => #modifieds.modified(target, initiator),)*
                _ => {}
            }
        }
    }
}
