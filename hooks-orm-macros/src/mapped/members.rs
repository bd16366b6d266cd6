//! A `#[column(listen)]` column as a target of its own (`#[listens_for(User::phone, "set")]`):
//! a hidden unit type next to the struct, declared a target of the column type's attribute
//! family, and the two fns that fire a column's target from the write path.
//!
//! Opt-in, because a column's target is most of what the derive costs to compile: 50 structs
//! of 8 columns took 7.4 s of CPU with every column a target, 3.4 s with none (serde's four
//! derives: 1.4 s). The other columns stay names the owner's table knows: listening on one is
//! an error that says to mark it.

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

/// The columns that are targets of their own.
fn listened(model: &Model) -> impl Iterator<Item = (usize, &Column)> {
    model.columns.iter().enumerate().filter(|(_, c)| c.listen)
}

/// `members(phone = __hooks_orm_User_phone, email, …)`, for the class's own target
/// declaration: every column is a member, only `#[column(listen)]` ones with a target.
pub(crate) fn members_option(model: &Model) -> TokenStream {
    let members = model.columns.iter().map(|column| {
        let name = &column.ident;
        if column.listen {
            let ty = member_type(model, column);
            quote!(#name = #ty)
        } else {
            quote!(#name)
        }
    });
    let help = format!(
        "mark the field `#[column(listen)]` to listen on it alone; a listener on `{}` \
         (`AttributeEvents`) sees every column",
        model.ident
    );
    quote!(members(#(#members),*), member_help = #help,)
}

/// The member types and their target declarations, at module level (listeners name them by
/// the struct's module path).
pub(crate) fn targets(model: &Model) -> TokenStream {
    let (ident, vis) = (&model.ident, &model.vis);
    let targets = listened(model).map(|(_, column)| {
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
    let index: Vec<_> = listened(model).map(|(i, _)| i).collect();
    let types: Vec<_> = listened(model)
        .map(|(_, c)| member_type(model, c))
        .collect();
    let families: Vec<_> = listened(model).map(|(_, c)| family(c)).collect();
    let field_types = listened(model).map(|(_, c)| &c.ty);
    let dispatch = |ty: &syn::Ident, family: &TokenStream| quote!(#h::hooks::Class::<#ty>::new().dispatch::<dyn #family>());
    let sets = types.iter().zip(&families).map(|(ty, f)| dispatch(ty, f));
    let modifieds = types.iter().zip(&families).map(|(ty, f)| dispatch(ty, f));
    quote! {
        #(impl #h::ObjectClass for #types { type Class = #ident; })*

        // A class with no `#[column(listen)]` column uses none of the arguments.
        #[allow(unused_variables)]
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

        #[allow(unused_variables)]
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
