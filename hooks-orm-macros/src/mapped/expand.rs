//! Emits the mapper definition, its registration in the declared-mappers slice and the
//! `Mapped` impl.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::parse::{Column, Model};
use super::{relationship, values};

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
                        mapper: __hooks_orm_class_mapper,
                        instrumentation: __hooks_orm_class_instrumentation,
                        attribute: __hooks_orm_class_attribute,
                        instance: __hooks_orm_class_instance,
                        claim_first_init: __hooks_orm_claim_first_init,
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

            fn __hooks_orm_class_mapper(
                mapper: &::hooks_orm::Mapper,
            ) -> ::hooks_orm::mapper_events::Dispatcher<'_> {
                #h::hooks::Class::<#ident>::new()
                    .dispatch_joined::<dyn ::hooks_orm::MapperEvents>(mapper)
            }

            fn __hooks_orm_class_instrumentation(
                mapper: &::hooks_orm::Mapper,
            ) -> ::hooks_orm::instrumentation_events::Dispatcher<'_> {
                #h::hooks::Class::<#ident>::new()
                    .dispatch_joined::<dyn ::hooks_orm::InstrumentationEvents>(mapper)
            }

            fn __hooks_orm_class_attribute(
            ) -> ::hooks_orm::attribute_events::Dispatcher<'static> {
                #h::hooks::Class::<#ident>::new().dispatch::<dyn ::hooks_orm::AttributeEvents>()
            }

            fn __hooks_orm_class_instance(
            ) -> ::hooks_orm::instance_events::Dispatcher<'static> {
                #h::hooks::Class::<#ident>::new().dispatch::<dyn ::hooks_orm::InstanceEvents>()
            }

            fn __hooks_orm_claim_first_init() -> bool {
                static FIRST_INIT_DONE: ::core::sync::atomic::AtomicBool =
                    ::core::sync::atomic::AtomicBool::new(false);
                !FIRST_INIT_DONE.swap(true, ::core::sync::atomic::Ordering::Relaxed)
            }

            #[#h::linkme::distributed_slice(#h::DECLARED_MAPPERS)]
            #[linkme(crate = #h::linkme)]
            #[allow(non_upper_case_globals)]
            static #slot: &'static ::hooks_orm::MapperDef =
                <#ident as ::hooks_orm::Mapped>::MAPPER;
        };

        // The class is a target: its listeners see its mapper alone, at class level only
        // (SQLAlchemy takes mapper events on the class, never on an object).
        #h::hooks::declare_target!(
            #vis #ident: ::hooks_orm::MapperEvents(class_only),
            ::hooks_orm::InstrumentationEvents(class_only),
            ::hooks_orm::AttributeEvents(class_only),
            ::hooks_orm::InstanceEvents(class_only),
            crate = ::hooks_orm::__private::hooks
        );
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
