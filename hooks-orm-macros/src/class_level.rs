//! What `#[derive(Mapped)]` and `#[derive(Mixin)]` both emit: the type's class-level
//! dispatchers (a `ClassLevel`) and the type as a class-level target of the four class-level
//! families.

use proc_macro2::TokenStream;
use quote::quote;

/// `const __HOOKS_ORM_LEVEL: ClassLevel`, with its four dispatcher fns; for a `const _` block.
pub(crate) fn level(ident: &syn::Ident) -> TokenStream {
    let h = quote!(::hooks_orm::__private);
    let families = [
        (quote!(mapper), quote!(MapperEvents), quote!(mapper_events)),
        (
            quote!(instrumentation),
            quote!(InstrumentationEvents),
            quote!(instrumentation_events),
        ),
        (
            quote!(attribute),
            quote!(AttributeEvents),
            quote!(attribute_events),
        ),
        (
            quote!(instance),
            quote!(InstanceEvents),
            quote!(instance_events),
        ),
    ];
    let fields = families.iter().map(|(field, family, module)| {
        quote! {
            #field: || -> ::hooks_orm::#module::Dispatcher<'static> {
                #h::hooks::Class::<#ident>::new().dispatch::<dyn ::hooks_orm::#family>()
            }
        }
    });
    quote! {
        const __HOOKS_ORM_LEVEL: ::hooks_orm::ClassLevel = ::hooks_orm::ClassLevel {
            #(#fields),*
        };
    }
}

/// The type as a target: its listeners are class-level only (SQLAlchemy takes these events
/// on the class, never on an object). A mapped class's listeners take the object as
/// `&Obj<Class>` (its `view`), and its columns are its members; a mixin's listeners hear many
/// classes and take the object erased.
/// `options` are the mapped class's view and members, ending in a comma.
pub(crate) fn target(
    ident: &syn::Ident,
    vis: &syn::Visibility,
    options: &TokenStream,
) -> TokenStream {
    quote! {
        ::hooks_orm::__private::hooks::declare_target!(
            #vis #ident: ::hooks_orm::MapperEvents(class_only),
            ::hooks_orm::InstrumentationEvents(class_only),
            ::hooks_orm::AttributeEvents(class_only),
            ::hooks_orm::InstanceEvents(class_only),
            #options
            crate = ::hooks_orm::__private::hooks
        );
    }
}
