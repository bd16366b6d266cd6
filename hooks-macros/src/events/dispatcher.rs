//! The typed dispatcher's fire methods: how each contract combines its listeners' results.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Type;
use syn::spanned::Spanned;

use super::docs::contract_doc;
use super::parse::{Contract, EventDecl};
use super::shape::Shape;

/// The fire method's parameters (the `#[retval]` ones owned) and what it passes each listener.
pub(super) fn fire_params(e: &EventDecl) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let retval_owned = retval_owned_types(e);
    let mut retval_index = 0;
    let mut params = Vec::new();
    let mut call_args = Vec::new();
    let retval_count = e.retval_params().count();
    for p in &e.params {
        let ident = &p.ident;
        if p.retval {
            let owned = &retval_owned[retval_index];
            params.push(quote!(#ident: #owned));
            let access = if retval_count == 1 {
                quote!(__hooks_value)
            } else {
                let i = syn::Index::from(retval_index);
                quote!(__hooks_value.#i)
            };
            call_args.push(if let Type::Reference(r) = &p.ty {
                let referent = &r.elem;
                quote!(::core::borrow::Borrow::<#referent>::borrow(&#access))
            } else {
                quote!(::core::clone::Clone::clone(&#access))
            });
            retval_index += 1;
        } else {
            let ty = &p.ty;
            params.push(quote!(#ident: #ty));
            call_args.push(if p.is_mut_ref() {
                quote!(&mut *#ident)
            } else {
                quote!(#ident)
            });
        }
    }
    (params, call_args)
}

/// Runs `body` through the target's exec-once state, for an exec-once event.
pub(super) fn wrap_exec_once(
    s: &Shape<'_>,
    body: TokenStream,
    ret_ty: &TokenStream,
) -> TokenStream {
    let (e, h) = (s.event, s.runtime());
    if e.exec_once.is_none() {
        return body;
    }
    let name = &e.ident;
    let (failed, fallback) = match e.contract {
        Contract::Fallible => (
            quote!(|__hooks_r: &#ret_ty| __hooks_r.is_err()),
            quote!(::core::result::Result::Ok(())),
        ),
        Contract::Halting => (
            quote!(|_: &#ret_ty| false),
            quote!(<#ret_ty as #h::Halt>::proceed()),
        ),
        Contract::FallibleHalting => (
            quote!(|__hooks_r: &#ret_ty| __hooks_r.is_err()),
            quote!(::core::result::Result::Ok(#h::Halt::proceed())),
        ),
        _ => (quote!(|_: &#ret_ty| false), quote!(())),
    };
    quote! {
        self.0
            .exec_once::<#name, #ret_ty>(|| -> #ret_ty { #body }, #failed)
            .unwrap_or_else(|| #fallback)
    }
}

/// The fire method of one event on the dispatcher.
pub(super) fn expand_fire(s: &Shape<'_>) -> TokenStream {
    let h = s.runtime();
    let e = s.event;
    let name = s.name;
    let family = &s.family.ident;
    let (params, call_args) = fire_params(e);
    let arg_checks = e
        .params
        .iter()
        .filter(|p| !p.is_ref() && !p.retval)
        .map(|p| {
            let ty = &p.ty;
            quote_spanned!(ty.span()=> const _: () = #h::assert_event_arg::<#ty>();)
        });
    let (body, ret_ty) = contract_body(s, &call_args);
    let body = wrap_exec_once(s, body, &ret_ty);
    let ret = e.output.as_ref().map(|t| quote!(-> #t));
    let doc = format!(
        "Fires [`{name}`](super::{family}::{name}): {}",
        contract_doc(e)
    );
    let deprecated_allow = e.deprecated.then(|| quote!(#[allow(deprecated)]));
    quote! {
        #[doc = #doc]
        #deprecated_allow
        #[inline]
        pub fn #name(&self, #(#params),*) #ret {
            #(#arg_checks)*
            #body
        }
    }
}

/// The body of a fire method: how the listeners' results combine, by the event's contract; and
/// the fire's return type.
pub(super) fn contract_body(
    s: &Shape<'_>,
    call_args: &[TokenStream],
) -> (TokenStream, TokenStream) {
    let (e, h) = (s.event, s.runtime());
    let name = &e.ident;
    let cont = quote!(::core::ops::ControlFlow::Continue(()));
    let brk = quote!(::core::ops::ControlFlow::Break(()));
    let output = e.output.as_ref();
    let call = quote!(__hooks_l(#(#call_args),*));
    // What runs for each listener (`__hooks_l`), returning whether to go on; the gate comes
    // first, so a fire no listener can hear never builds this closure.
    let each = |per_listener: TokenStream| {
        quote! {
            if let ::core::option::Option::Some(__hooks_gate) = self.0.gate::<#name>() {
                let _ = self.0.each_past::<#name, _>(
                    __hooks_gate,
                    &mut |__hooks_l: &<#name as #h::Event>::Callable, _: &#h::Modifiers| {
                        #per_listener
                    },
                );
            }
        }
    };
    let (init, per_listener, outcome) = match e.contract {
        Contract::None => (quote!(), quote!(#call; #cont), quote!()),
        Contract::Fallible => (
            quote!(let mut __hooks_outcome = ::core::result::Result::Ok(());),
            quote! {
                match #call {
                    ::core::result::Result::Ok(()) => #cont,
                    ::core::result::Result::Err(__hooks_e) => {
                        __hooks_outcome = ::core::result::Result::Err(__hooks_e);
                        #brk
                    }
                }
            },
            quote!(__hooks_outcome),
        ),
        Contract::Halting => (
            quote!(let mut __hooks_outcome = <#output as #h::Halt>::proceed();),
            quote! {
                let __hooks_r = #call;
                if #h::Halt::halts(&__hooks_r) {
                    __hooks_outcome = __hooks_r;
                    #brk
                } else {
                    #cont
                }
            },
            quote!(__hooks_outcome),
        ),
        Contract::FallibleHalting => (
            quote!(let mut __hooks_outcome = ::core::result::Result::Ok(#h::Halt::proceed());),
            quote! {
                match #call {
                    ::core::result::Result::Ok(__hooks_r) if !#h::Halt::halts(&__hooks_r) => #cont,
                    __hooks_r => {
                        __hooks_outcome = __hooks_r;
                        #brk
                    }
                }
            },
            quote!(__hooks_outcome),
        ),
        Contract::FallibleRetval => {
            let (value, value_ty) = (retval_init(e), e.retval_value());
            (
                quote! {
                    let mut __hooks_value: #value_ty = #value;
                    let mut __hooks_outcome = ::core::result::Result::Ok(());
                },
                quote! {
                    match #call {
                        ::core::result::Result::Ok(::core::option::Option::Some(__hooks_new)) => {
                            __hooks_value = __hooks_new;
                            #cont
                        }
                        ::core::result::Result::Ok(::core::option::Option::None) => #cont,
                        ::core::result::Result::Err(__hooks_e) => {
                            __hooks_outcome = ::core::result::Result::Err(__hooks_e);
                            #brk
                        }
                    }
                },
                quote!(__hooks_outcome.map(|()| __hooks_value)),
            )
        }
        Contract::Retval => {
            let value = retval_init(e);
            (
                quote!(let mut __hooks_value: #output = #value;),
                quote! {
                    if let ::core::option::Option::Some(__hooks_new) = #call {
                        __hooks_value = __hooks_new;
                    }
                    #cont
                },
                quote!(__hooks_value),
            )
        }
    };
    let ret_ty = output.map_or_else(|| quote!(()), |t| quote!(#t));
    let run = each(per_listener);
    (quote!(#init #run #outcome), ret_ty)
}

/// The owned types of the `#[retval]` arguments: the replaced value, or its tuple's elements.
pub(super) fn retval_owned_types(e: &EventDecl) -> Vec<Type> {
    match (e.retval_value(), e.retval_params().count()) {
        (Some(ty), 1) => vec![ty.clone()],
        (Some(Type::Tuple(t)), _) => t.elems.iter().cloned().collect(),
        _ => Vec::new(),
    }
}

/// The initial value of a `retval` chain: the `#[retval]` argument, or a tuple of them.
fn retval_init(e: &EventDecl) -> TokenStream {
    let parts = e.retval_params().map(|p| &p.ident);
    if e.retval_params().count() == 1 {
        quote!(#(#parts)*)
    } else {
        quote!((#(#parts),*))
    }
}
