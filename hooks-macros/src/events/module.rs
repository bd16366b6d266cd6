//! The family's module: per event its marker, its named-argument struct and the listen
//! methods; the slots; the dispatcher.

use proc_macro2::TokenStream;
use quote::quote;

use super::dispatcher::expand_fire;
use super::family::expand_event_impl;
use super::parse::FamilyDecl;
use super::shape::{Shape, named_type};

pub(super) fn expand_module(family: &FamilyDecl, shapes: &[Shape<'_>]) -> TokenStream {
    let h = family.args.krate.private();
    let (vis, module, ident) = (&family.vis, &family.module, &family.ident);
    let events = shapes.iter().enumerate().map(|(i, s)| expand_event(s, i));
    let slot_fields = shapes.iter().map(|s| {
        let name = s.name;
        quote!(#[doc = concat!("The listeners of `", stringify!(#name), "`.")] pub #name: #h::Slot<#name>,)
    });
    let exec_fields = shapes.iter().filter(|s| s.event.exec_once.is_some()).map(|s| {
        let name = s.name;
        quote!(#[doc = concat!("The exec-once state of `", stringify!(#name), "`.")] pub #name: #h::ExecOnce,)
    });
    let fires = shapes.iter().map(expand_fire);
    let doc = format!(
        "Event markers, named-argument structs and the typed dispatcher of [`{ident}`](super::{ident})."
    );
    quote! {
        #[doc = #doc]
        #[allow(non_camel_case_types, deprecated, clippy::all, clippy::pedantic)]
        #vis mod #module {
            #[allow(unused_imports)]
            use super::*;

            #(#events)*

            /// One slot of listeners per event.
            #[derive(Debug)]
            pub struct Slots { #(#slot_fields)* }

            /// One exec-once state per exec-once event.
            #[derive(Debug)]
            pub struct ExecOnceStates { #(#exec_fields)* }

            /// The typed dispatcher a host fires these events through: each method runs the
            /// listeners in order (class level, instance level, joined parent) and combines
            /// their results by the event's contract.
            #[derive(Clone, Copy, Debug)]
            pub struct Dispatcher<'a>(#h::Dispatch<'a, dyn super::#ident>);

            impl<'a> ::core::convert::From<#h::Dispatch<'a, dyn super::#ident>> for Dispatcher<'a> {
                #[inline]
                fn from(dispatch: #h::Dispatch<'a, dyn super::#ident>) -> Self {
                    Self(dispatch)
                }
            }

            impl<'a> Dispatcher<'a> {
                /// The untyped dispatch, for `has_listeners` and custom walks.
                #[inline]
                pub fn raw(&self) -> #h::Dispatch<'a, dyn super::#ident> {
                    self.0
                }

                #(#fires)*
            }
        }
    }
}

pub(super) fn expand_event(s: &Shape<'_>, _index: usize) -> TokenStream {
    let marker = expand_marker(s);
    let args = expand_args_struct(s);
    let h = s.runtime();
    let forms = super::forms::expand_impls(s, &h);
    let listen = super::forms::expand_listen_methods(s, &h);
    let event_impl = expand_event_impl(s);
    let name = s.name;
    let deprecated = expand_deprecated_const(s);
    quote! {
        #marker
        #args
        impl #name {
            #listen
            #deprecated
        }
        #forms
        #event_impl
    }
}

pub(super) fn expand_marker(s: &Shape<'_>) -> TokenStream {
    let name = s.name;
    let family = &s.family.ident;
    let deprecated = s
        .event
        .other_attrs
        .iter()
        .filter(|a| a.path().is_ident("deprecated"));
    let doc = format!(
        "The [`{name}`](super::{family}::{name}) event of [`{family}`](super::{family}): \
         listen with [`listen`](Self::listen) and its variants, remove with \
         [`remove`](Self::remove)."
    );
    quote! {
        #[doc = #doc]
        #(#deprecated)*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct #name;
    }
}

/// For a deprecated event, a const that `#[listens_for]` names so that the `deprecated` lint
/// fires at the listener (it reaches the marker only through trait projections, which the lint
/// does not see).
pub(super) fn expand_deprecated_const(s: &Shape<'_>) -> Option<TokenStream> {
    let deprecated: Vec<_> = s
        .event
        .other_attrs
        .iter()
        .filter(|a| a.path().is_ident("deprecated"))
        .collect();
    (!deprecated.is_empty()).then(|| {
        quote! {
            #[doc(hidden)]
            #(#deprecated)*
            pub const EVENT: Self = Self;
        }
    })
}

pub(super) fn expand_args_struct(s: &Shape<'_>) -> TokenStream {
    let args_struct = &s.args_struct;
    let (name, family) = (s.name, &s.family.ident);
    let fields = s.event.params.iter().map(|p| {
        let (ty, _, _) = named_type(&p.ty);
        let ident = &p.ident;
        quote!(#[doc = concat!("The `", stringify!(#ident), "` argument.")] pub #ident: #ty,)
    });
    let phantom = s
        .needs_phantom()
        .then(|| quote!(#[doc(hidden)] pub __hooks_lifetime: ::core::marker::PhantomData<&'a ()>,));
    let doc = format!(
        "The arguments of [`{name}`](super::{family}::{name}), by name, for `named` listeners."
    );
    let generics = if s.two_lifetimes() {
        quote!(<'a, 'b>)
    } else {
        quote!(<'a>)
    };
    let debug_name = args_struct.to_string();
    quote! {
        #[doc = #doc]
        pub struct #args_struct #generics {
            #(#fields)*
            #phantom
        }

        // The arguments' types need not be `Debug`: the name is what a log line needs.
        impl #generics ::core::fmt::Debug for #args_struct #generics {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#debug_name).finish_non_exhaustive()
            }
        }
    }
}
