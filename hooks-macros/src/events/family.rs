//! The `Event` impl of each marker and the `Family` impl of the trait object.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

use super::parse::FamilyDecl;
use super::shape::Shape;
use crate::common::type_text;

pub(super) fn expand_event_impl(s: &Shape<'_>) -> TokenStream {
    let h = s.runtime();
    let e = s.event;
    let name = s.name;
    let family_ty = s.family_ty();
    let callable = s.callable();
    let info = expand_info(s);
    let exec_once = if e.exec_once.is_some() {
        quote!(::core::option::Option::Some(&states.#name))
    } else {
        quote!({
            let _ = states;
            ::core::option::Option::None
        })
    };
    quote! {
        impl #h::Event for #name {
            type Family = #family_ty;
            type Callable = #callable;
            const INFO: &'static #h::EventInfo = #info;

            fn slot(slots: &Slots) -> &#h::Slot<Self> {
                &slots.#name
            }

            #[inline]
            fn registrations() -> &'static ::core::sync::atomic::AtomicUsize {
                static REGISTRATIONS: ::core::sync::atomic::AtomicUsize =
                    ::core::sync::atomic::AtomicUsize::new(#h::UNKNOWN_REGISTRATIONS);
                &REGISTRATIONS
            }

            fn exec_once(states: &ExecOnceStates) -> ::core::option::Option<&#h::ExecOnce> {
                #exec_once
            }

            fn from_dyn(
                listener: #h::DynListener,
                modifiers: #h::Modifiers,
            ) -> ::core::result::Result<::std::sync::Arc<Self::Callable>, #h::DynListener> {
                #h::from_dyn::<Self>(listener, modifiers)
            }
        }
    }
}

pub(super) fn expand_info(s: &Shape<'_>) -> TokenStream {
    let h = s.runtime();
    let e = s.event;
    let name = e.ident.to_string();
    let family = s.family.ident.to_string();
    let args = e.params.iter().map(|param| {
        let (arg, ty) = (param.ident.to_string(), type_text(&param.ty));
        quote!(#h::ArgInfo { name: #arg, ty: #ty })
    });
    let signature = s.signature_text(Some(&s.plain_ret));
    let retval_signature = if let Some(ret) = &s.retval_ret {
        let text = s.signature_text(Some(ret));
        quote!(::core::option::Option::Some(#text))
    } else {
        quote!(::core::option::Option::None)
    };
    let contract = format_ident!("{}", format!("{:?}", e.contract));
    let modifiers = s.accepted_modifiers();
    let exec_once = match e.exec_once {
        None => quote!(::core::option::Option::None),
        Some(mode) => {
            let mode = format_ident!("{}", format!("{mode:?}"));
            quote!(::core::option::Option::Some(#h::ExecOnceMode::#mode))
        }
    };
    let deprecated = e.deprecated;
    quote! {
        &#h::EventInfo {
            name: #name,
            family: #family,
            args: &[#(#args),*],
            signature: #signature,
            retval_signature: #retval_signature,
            contract: #h::Contract::#contract,
            modifiers: &[#(#modifiers),*],
            exec_once: #exec_once,
            deprecated: #deprecated,
        }
    }
}

pub(super) fn expand_family_impl(family: &FamilyDecl, shapes: &[Shape<'_>]) -> TokenStream {
    let h = family.args.krate.private();
    let (ident, module) = (&family.ident, &family.module);
    let name = ident.to_string();
    let propagate = family.args.propagate;
    let names: Vec<&Ident> = shapes.iter().map(|s| s.name).collect();
    let exec: Vec<&Ident> = shapes
        .iter()
        .filter(|s| s.event.exec_once.is_some())
        .map(|s| s.name)
        .collect();
    let indices = 0..names.len();
    let event_at = names.iter().enumerate().map(|(i, n)| {
        quote! {
            #[doc(hidden)]
            #[allow(deprecated)]
            impl #h::EventAt<#i> for dyn #ident {
                type Event = #module::#n;
            }
        }
    });
    quote! {
        #[allow(deprecated, clippy::declare_interior_mutable_const)]
        impl #h::Family for dyn #ident {
            const INFO: &'static #h::FamilyInfo = &#h::FamilyInfo {
                name: #name,
                events: &[#(<#module::#names as #h::Event>::INFO),*],
                propagate: #propagate,
            };
            type Slots = #module::Slots;
            const SLOTS: #module::Slots = #module::Slots {
                #(#names: #h::Slot::new(),)*
            };
            type ExecOnceStates = #module::ExecOnceStates;
            const EXEC_ONCE: #module::ExecOnceStates = #module::ExecOnceStates {
                #(#exec: #h::ExecOnce::new(),)*
            };
            type Dispatcher<'a> = #module::Dispatcher<'a>;

            fn visit_events<V: #h::EventVisitor<Self>>(visitor: &mut V) {
                #(visitor.visit::<#module::#names>();)*
            }

            fn visit_event<V: #h::EventVisitor<Self>>(index: usize, visitor: &mut V) {
                match index {
                    #(#indices => visitor.visit::<#module::#names>(),)*
                    _ => {}
                }
            }
        }
        #(#event_at)*
    }
}
