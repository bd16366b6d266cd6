//! Emits the mapper definition, its registration in the declared-mappers slice and the
//! `Mapped` impl.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::parse::{Column, Model};
use super::{members, relationship, values};

pub(crate) fn expand(model: &Model) -> TokenStream {
    let h = quote!(::hooks_orm::__private);
    let (ident, vis) = (&model.ident, &model.vis);
    let table = &model.table;
    let columns = model.columns.iter().map(|column| column_def(column, &h));
    let values = model.columns.iter().map(|column| {
        let field = &column.ident;
        quote!(#h::Value::from(::core::clone::Clone::clone(&self.#field)))
    });
    let accessors = values::accessors(model, &h);
    let (relationships, targets): (Vec<_>, Vec<_>) = (model.relationships.iter().enumerate())
        .map(|(index, r)| r.def(index))
        .unzip();
    let relation_mut = relationship::relation_mut(&model.relationships);
    let slot = format_ident!("__HOOKS_ORM_MAPPER_{}", ident);
    let level = crate::class_level::level(ident);
    let options = members::members_option(model);
    let options = quote!(view = ::hooks_orm::Obj<#ident>, #options);
    let target = crate::class_level::target(ident, vis, &options);
    let member_targets = members::targets(model);
    let member_fns = members::fire_fns(model);
    let mixins = &model.mixins;
    quote! {
        const _: () = {
            #[automatically_derived]
            impl ::hooks_orm::Mapped for #ident {
                const MAPPER: &'static ::hooks_orm::MapperDef = &::hooks_orm::MapperDef {
                    class_name: ::core::stringify!(#ident),
                    module_path: ::core::module_path!(),
                    table: #table,
                    columns: &[#(#columns),*],
                    class_listeners: ::core::option::Option::Some(&::hooks_orm::ClassListeners {
                        own: &__HOOKS_ORM_LEVEL,
                        mixins: &[#(<#mixins as ::hooks_orm::Mixin>::LEVEL),*],
                        claim_first_init: __hooks_orm_claim_first_init,
                        any_obj: #h::any_obj_of::<#ident>,
                        member_set: __hooks_orm_member_set,
                        member_modified: __hooks_orm_member_modified,
                    }),
                    relationships: &[#(#relationships),*],
                };

                fn values(&self) -> ::std::vec::Vec<#h::Value> {
                    ::std::vec![#(#values),*]
                }

                #accessors
                #relation_mut
            }

            #(#targets)*

            #level

            #member_fns

            fn __hooks_orm_claim_first_init() -> bool {
                static FIRST_INIT_DONE: ::core::sync::atomic::AtomicBool =
                    ::core::sync::atomic::AtomicBool::new(false);
                // A load first: every later construction pays a plain read, not a swap.
                !FIRST_INIT_DONE.load(::core::sync::atomic::Ordering::Relaxed)
                    && !FIRST_INIT_DONE.swap(true, ::core::sync::atomic::Ordering::Relaxed)
            }

            #[#h::linkme::distributed_slice(#h::DECLARED_MAPPERS)]
            #[linkme(crate = #h::linkme)]
            #[allow(non_upper_case_globals)]
            static #slot: &'static ::hooks_orm::MapperDef =
                <#ident as ::hooks_orm::Mapped>::MAPPER;
        };

        #target
        #member_targets
    }
}

fn column_def(column: &Column, h: &TokenStream) -> TokenStream {
    let name = column.ident.to_string();
    let sql_type = format_ident!("{}", column.sql_type);
    let primary_key = column.primary_key;
    let nullable = column.nullable;
    let foreign_key = relationship::option(column.foreign_key.as_ref());
    let server_default = relationship::option(column.server_default.as_ref());
    quote! {
        ::hooks_orm::ColumnDef {
            name: #name,
            sql_type: #h::ColumnType::#sql_type,
            primary_key: #primary_key,
            nullable: #nullable,
            foreign_key: #foreign_key,
            server_default: #server_default,
        }
    }
}
