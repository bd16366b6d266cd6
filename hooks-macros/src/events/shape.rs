//! What one event needs in several places of the expansion: its types, its listener
//! results, and the named-argument struct's lifetimes.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Ident, Type};

use super::parse::{Contract, EventDecl, FamilyDecl};
use crate::common::{camel_case, type_text};

/// Everything one event needs in several places.
pub(crate) struct Shape<'a> {
    pub(crate) family: &'a FamilyDecl,
    pub(crate) event: &'a EventDecl,
    pub(crate) name: &'a Ident,
    pub(crate) args_struct: Ident,
    pub(crate) types: Vec<&'a Type>,
    pub(crate) internal: Vec<Ident>,
    /// What a plain listener returns.
    pub(crate) plain_ret: TokenStream,
    /// What a `retval` listener returns (retval events only).
    pub(crate) retval_ret: Option<TokenStream>,
    /// What every stored listener returns.
    pub(crate) callable_ret: TokenStream,
}

impl<'a> Shape<'a> {
    pub(crate) fn new(family: &'a FamilyDecl, event: &'a EventDecl) -> Self {
        let declared = event.output.as_ref().map(|t| quote!(#t));
        let unit = quote!(());
        let (plain_ret, retval_ret, callable_ret) = match event.contract {
            Contract::None => (unit.clone(), None, unit),
            Contract::Fallible | Contract::Halting | Contract::FallibleHalting => {
                let d = declared.unwrap_or(unit);
                (d.clone(), None, d)
            }
            Contract::Retval => {
                let d = declared.unwrap_or_else(|| unit.clone());
                let callable = quote!(::core::option::Option<#d>);
                (unit, Some(d), callable)
            }
            Contract::FallibleRetval => fallible_retval_returns(event),
        };
        Self {
            family,
            event,
            name: &event.ident,
            args_struct: format_ident!("{}Args", camel_case(&event.ident.to_string())),
            types: event.params.iter().map(|p| &p.ty).collect(),
            internal: (0..event.params.len())
                .map(|i| format_ident!("__hooks_a{}", i))
                .collect(),
            plain_ret,
            retval_ret,
            callable_ret,
        }
    }

    /// The runtime path generated code names: `hooks::__private`, or `crate = path`'s.
    pub(crate) fn runtime(&self) -> TokenStream {
        self.family.args.krate.private()
    }

    pub(crate) fn family_ty(&self) -> TokenStream {
        let family = &self.family.ident;
        quote!(dyn super::#family)
    }

    pub(crate) fn callable(&self) -> TokenStream {
        let (types, ret) = (&self.types, &self.callable_ret);
        quote!(dyn ::core::ops::Fn(#(#types),*) -> #ret + ::core::marker::Send + ::core::marker::Sync)
    }

    pub(crate) fn fn_ptr(&self, ret: &TokenStream) -> TokenStream {
        let types = &self.types;
        quote!(fn(#(#types),*) -> #ret)
    }

    pub(crate) fn named_fn_ptr(&self, ret: &TokenStream) -> TokenStream {
        let args = &self.args_struct;
        // `'a` cannot clash: an event's types have no named lifetimes, and the compiler shows
        // this type in the error of a mismatched `named` listener.
        if self.two_lifetimes() {
            quote!(for<'a, 'b> fn(#args<'a, 'b>) -> #ret)
        } else {
            quote!(for<'a> fn(#args<'a>) -> #ret)
        }
    }

    pub(crate) fn signature_text(&self, ret: Option<&TokenStream>) -> String {
        let args: Vec<String> = self.types.iter().map(|t| type_text(t)).collect();
        let ret = ret
            .map(|r| crate::common::tidy(&r.to_string()))
            .filter(|r| r != "()")
            .map_or_else(String::new, |r| format!(" -> {r}"));
        format!("fn({}){ret}", args.join(", "))
    }

    pub(crate) fn accepted_modifiers(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.event.contract.is_retval() {
            out.push("retval".to_owned());
        }
        out.extend(["insert", "once", "named"].map(str::to_owned));
        if self.family.args.propagate {
            out.push("propagate".to_owned());
        }
        for m in self
            .family
            .args
            .modifiers
            .iter()
            .chain(&self.event.modifiers)
        {
            out.push(m.to_string());
        }
        out
    }

    /// Builds a stored listener of the given form that calls `callee` (`__hooks_listener`, the
    /// adapted closure, or `(W::F)`, a static listener's fn called directly).
    pub(crate) fn adapter_body(
        &self,
        named: bool,
        retval: bool,
        callee: &TokenStream,
    ) -> TokenStream {
        let (internal, types) = (&self.internal, &self.types);
        let args_struct = &self.args_struct;
        let arg_idents = self.event.params.iter().map(|p| &p.ident);
        let call = if named {
            let phantom = self
                .needs_phantom()
                .then(|| quote!(__hooks_lifetime: ::core::marker::PhantomData,));
            quote!(#callee(#args_struct { #(#arg_idents: #internal,)* #phantom }))
        } else {
            quote!(#callee(#(#internal),*))
        };
        let body = match (self.event.contract, retval) {
            (Contract::Retval, true) => quote!(::core::option::Option::Some(#call)),
            (Contract::Retval, false) => quote!({ #call; ::core::option::Option::None }),
            (Contract::FallibleRetval, true) => {
                quote!(::core::result::Result::map(#call, ::core::option::Option::Some))
            }
            (Contract::FallibleRetval, false) => {
                quote!(::core::result::Result::map(#call, |()| ::core::option::Option::None))
            }
            _ => call,
        };
        let ret = &self.callable_ret;
        quote! {
            ::std::sync::Arc::new(move |#(#internal: #types),*| -> #ret { #body })
        }
    }

    pub(crate) fn needs_phantom(&self) -> bool {
        self.event.params.iter().all(|p| named_type(&p.ty).1 == 0)
    }

    /// Whether the named struct needs a second lifetime (see [`named_type`]).
    pub(crate) fn two_lifetimes(&self) -> bool {
        self.event.params.iter().any(|p| named_type(&p.ty).2 > 0)
    }

    /// The named struct with elided lifetimes: `FooArgs<'_>` or `FooArgs<'_, '_>`.
    pub(crate) fn args_elided(&self) -> TokenStream {
        let args = &self.args_struct;
        if self.two_lifetimes() {
            quote!(#args<'_, '_>)
        } else {
            quote!(#args<'_>)
        }
    }
}

/// What the listeners of a `retval, fallible` event return, declared `Result<T, E>`: plain
/// `Result<(), E>` (veto or pass on), `retval` `Result<T, E>` (veto or replace), stored
/// `Result<Option<T>, E>`.
fn fallible_retval_returns(event: &EventDecl) -> (TokenStream, Option<TokenStream>, TokenStream) {
    let declared = event.output.as_ref();
    let Some((ok, err)) = declared.and_then(super::contract::result_parts) else {
        // Reported by the contract check; the shape only has to stay expandable.
        let unit = quote!(());
        return (unit.clone(), None, unit);
    };
    let result = quote!(::core::result::Result);
    (
        with_unit_ok(declared.cloned()),
        Some(quote!(#declared)),
        quote!(#result<::core::option::Option<#ok>, #err>),
    )
}

/// The declared `Result<T, E>` with `()` for `T`, spelled as the user spelled it (so the
/// listener signature a note shows reads `Result<(), E>`).
fn with_unit_ok(declared: Option<Type>) -> TokenStream {
    let mut ty = declared.expect("result_parts matched");
    if let Type::Path(path) = &mut ty
        && let Some(last) = path.path.segments.last_mut()
        && let syn::PathArguments::AngleBracketed(args) = &mut last.arguments
        && let Some(first) = args.args.iter_mut().find_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        })
    {
        *first = syn::parse_quote!(());
    }
    quote!(#ty)
}

/// Rewrites a declared argument type for the named struct: elided lifetimes become `'a`, and
/// those inside a `&mut` referent become `'b` (a `&'a mut T<'a>` would be invariant in `'a` and
/// could not be built from a shorter borrow). Returns the type and how many `'a` and `'b` it has.
pub(super) fn named_type(ty: &Type) -> (Type, usize, usize) {
    struct Lifetimes {
        outer: usize,
        inner: usize,
        in_mut: bool,
    }
    impl Lifetimes {
        fn next(&mut self, span: proc_macro2::Span) -> syn::Lifetime {
            if self.in_mut {
                self.inner += 1;
                syn::Lifetime::new("'b", span)
            } else {
                self.outer += 1;
                syn::Lifetime::new("'a", span)
            }
        }
    }
    impl VisitMut for Lifetimes {
        fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
            if r.lifetime.is_none() {
                r.lifetime = Some(self.next(r.and_token.span()));
            }
            let was_in_mut = self.in_mut;
            self.in_mut |= r.mutability.is_some();
            self.visit_type_mut(&mut r.elem);
            self.in_mut = was_in_mut;
        }
        fn visit_lifetime_mut(&mut self, l: &mut syn::Lifetime) {
            if l.ident == "_" {
                *l = self.next(l.span());
            }
        }
    }
    let mut ty = ty.clone();
    let mut visitor = Lifetimes {
        outer: 0,
        inner: 0,
        in_mut: false,
    };
    visitor.visit_type_mut(&mut ty);
    (ty, visitor.outer, visitor.inner)
}
