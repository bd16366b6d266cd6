//! Generating an event family: the documented trait (the catalog page), the event markers with
//! their typed `listen` methods, the slots, the typed dispatcher, and the hidden table that
//! targets and `#[listens_for]` read.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Ident, Type};

use super::parse::{Contract, EventDecl, ExecOnce, FamilyDecl, Param};
use crate::common::{camel_case, doc_lines, type_text, unique_macro_name};
use crate::descriptor::{EventDesc, FamilyDesc};

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
    fn new(family: &'a FamilyDecl, event: &'a EventDecl) -> Self {
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

    fn signature_text(&self, ret: Option<&TokenStream>) -> String {
        let args: Vec<String> = self.types.iter().map(|t| type_text(t)).collect();
        let ret = ret
            .map(|r| crate::common::tidy(&r.to_string()))
            .filter(|r| r != "()")
            .map_or_else(String::new, |r| format!(" -> {r}"));
        format!("fn({}){ret}", args.join(", "))
    }

    fn accepted_modifiers(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.event.contract == Contract::Retval {
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

    /// Builds a stored listener from a closure `l` of the given form.
    pub(crate) fn adapter_body(&self, named: bool, retval: bool) -> TokenStream {
        let (internal, types) = (&self.internal, &self.types);
        let args_struct = &self.args_struct;
        let arg_idents = self.event.params.iter().map(|p| &p.ident);
        let call = if named {
            let phantom = self
                .needs_phantom()
                .then(|| quote!(__hooks_lifetime: ::core::marker::PhantomData,));
            quote!(__hooks_listener(#args_struct { #(#arg_idents: #internal,)* #phantom }))
        } else {
            quote!(__hooks_listener(#(#internal),*))
        };
        let body = match (self.event.contract, retval) {
            (Contract::Retval, true) => quote!(::core::option::Option::Some(#call)),
            (Contract::Retval, false) => quote!({ #call; ::core::option::Option::None }),
            _ => call,
        };
        let ret = &self.callable_ret;
        quote! {
            ::std::sync::Arc::new(move |#(#internal: #types),*| -> #ret { #body })
        }
    }

    fn needs_phantom(&self) -> bool {
        self.event.params.iter().all(|p| named_type(&p.ty).1 == 0)
    }

    /// Whether the named struct needs a second lifetime (see [`named_type`]).
    fn two_lifetimes(&self) -> bool {
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

pub(crate) fn expand(family: &FamilyDecl) -> TokenStream {
    let shapes: Vec<Shape<'_>> = family
        .events
        .iter()
        .map(|e| Shape::new(family, e))
        .collect();
    let the_trait = expand_trait(family, &shapes);
    let module = expand_module(family, &shapes);
    let family_impl = expand_family_impl(family, &shapes);
    let table = expand_table(family, &shapes);
    quote! {
        #the_trait
        #module
        #family_impl
        #table
    }
}

fn expand_trait(family: &FamilyDecl, shapes: &[Shape<'_>]) -> TokenStream {
    let FamilyDecl {
        attrs, vis, ident, ..
    } = family;
    let module = &family.module;
    let mut catalog = vec![
        String::new(),
        "# Events".to_owned(),
        String::new(),
        "| event | listener | contract | modifiers |".to_owned(),
        "|---|---|---|---|".to_owned(),
    ];
    for s in shapes {
        catalog.push(format!(
            "| [`{0}`](Self::{0}) | `{1}` | {2}{3} | {4} |",
            s.name,
            s.signature_text(Some(&s.plain_ret)),
            s.event.contract.name(),
            if s.event.exec_once.is_some() {
                ", exec-once"
            } else {
                ""
            },
            s.accepted_modifiers().join(", "),
        ));
    }
    catalog.push(String::new());
    catalog.push(format!(
        "Typed listening and firing: [`{module}`]. Listen with \
         `#[hooks::listens_for(Target, \"event\")]` on a fn, or at runtime with \
         `{module}::EVENT.listen(target, listener)`."
    ));
    let catalog = doc_lines(&catalog);
    let methods = shapes.iter().map(expand_trait_method);
    quote! {
        #(#attrs)*
        #catalog
        #vis trait #ident {
            #(#methods)*
        }
    }
}

fn expand_trait_method(s: &Shape<'_>) -> TokenStream {
    let e = s.event;
    let (docs, attrs, name) = (&e.docs, &e.other_attrs, &e.ident);
    let params = e
        .params
        .iter()
        .map(|Param { ident, ty, .. }| quote!(#ident: #ty));
    let output = e.output.as_ref().map(|t| quote!(-> #t));
    let module = &s.family.module;
    let mut lines = vec![
        String::new(),
        format!("**Listener:** `{}`", s.signature_text(Some(&s.plain_ret))),
    ];
    if let Some(r) = &s.retval_ret {
        lines.push(format!(
            "**With `retval`:** `{}`; each listener receives the value the previous one \
             returned, and the last value is what the operation uses. Without `retval` a \
             listener passes it through unchanged.",
            s.signature_text(Some(r))
        ));
    }
    lines.push(format!("**Contract:** {}", contract_doc(e)));
    if let Some(mode) = e.exec_once {
        lines.push(match mode {
            ExecOnce::Always => "**Runs once per target**: the first fire runs the listeners, \
                                 concurrent first callers wait for it, later fires never run."
                .to_owned(),
            ExecOnce::UnlessError => "**Runs once per target, unless it fails**: concurrent \
                                      first callers wait; a run that fails is retried by the \
                                      next fire."
                .to_owned(),
        });
    }
    lines.push(format!(
        "**Modifiers:** {}",
        s.accepted_modifiers()
            .iter()
            .map(|m| format!("`{m}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    lines.push(format!(
        "**Typed:** [`{module}::{name}`], fired by [`{module}::Dispatcher::{name}`]; named \
         arguments: [`{module}::{}`].",
        s.args_struct
    ));
    lines.push(String::new());
    lines.push("```text".to_owned());
    lines.push(format!("#[hooks::listens_for(Target, \"{name}\")]"));
    let args: Vec<String> = e
        .params
        .iter()
        .map(|p| format!("{}: {}", p.ident, type_text(&p.ty)))
        .collect();
    let ret = if s.plain_ret.to_string() == "()" {
        String::new()
    } else {
        format!(" -> {}", crate::common::tidy(&s.plain_ret.to_string()))
    };
    lines.push(format!("fn on_{name}({}){ret} {{ … }}", args.join(", ")));
    lines.push("```".to_owned());
    let extra = doc_lines(&lines);
    quote! {
        #(#docs)*
        #extra
        #(#attrs)*
        fn #name(#(#params),*) #output where Self: Sized;
    }
}

fn contract_doc(e: &EventDecl) -> &'static str {
    match e.contract {
        Contract::None => "return values are not used; every listener runs.",
        Contract::Retval => "retval: listeners may replace the `#[retval]` arguments.",
        Contract::Halting => {
            "halting: the first listener returning `true` (or `Some`) stops the chain, and its \
             result is what the fire returns."
        }
        Contract::Fallible => {
            "fallible: a listener returning `Err` stops the chain and aborts the operation with \
             that error."
        }
        Contract::FallibleHalting => {
            "halting and fallible: the first listener returning `Ok(true)` (or `Ok(Some(_))`) \
             stops the chain and its result is returned; one returning `Err` stops the chain and \
             aborts the operation with that error."
        }
    }
}

fn expand_module(family: &FamilyDecl, shapes: &[Shape<'_>]) -> TokenStream {
    let (vis, module, ident) = (&family.vis, &family.module, &family.ident);
    let events = shapes.iter().enumerate().map(|(i, s)| expand_event(s, i));
    let slot_fields = shapes.iter().map(|s| {
        let name = s.name;
        quote!(#[doc = concat!("The listeners of `", stringify!(#name), "`.")] pub #name: ::hooks::__private::Slot<#name>,)
    });
    let exec_fields = shapes.iter().filter(|s| s.event.exec_once.is_some()).map(|s| {
        let name = s.name;
        quote!(#[doc = concat!("The exec-once state of `", stringify!(#name), "`.")] pub #name: ::hooks::__private::ExecOnce,)
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
            pub struct Slots { #(#slot_fields)* }

            /// One exec-once state per exec-once event.
            pub struct ExecOnceStates { #(#exec_fields)* }

            /// The typed dispatcher a host fires these events through: each method runs the
            /// listeners in order (class level, instance level, joined parent) and combines
            /// their results by the event's contract.
            #[derive(Clone, Copy)]
            pub struct Dispatcher<'a>(::hooks::__private::Dispatch<'a, dyn super::#ident>);

            impl<'a> ::core::convert::From<::hooks::__private::Dispatch<'a, dyn super::#ident>> for Dispatcher<'a> {
                #[inline]
                fn from(dispatch: ::hooks::__private::Dispatch<'a, dyn super::#ident>) -> Self {
                    Self(dispatch)
                }
            }

            impl<'a> Dispatcher<'a> {
                /// The untyped dispatch, for `has_listeners` and custom walks.
                #[inline]
                pub fn raw(&self) -> ::hooks::__private::Dispatch<'a, dyn super::#ident> {
                    self.0
                }

                #(#fires)*
            }
        }
    }
}

fn expand_event(s: &Shape<'_>, _index: usize) -> TokenStream {
    let marker = expand_marker(s);
    let args = expand_args_struct(s);
    let h = quote!(::hooks::__private);
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

fn expand_marker(s: &Shape<'_>) -> TokenStream {
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
fn expand_deprecated_const(s: &Shape<'_>) -> Option<TokenStream> {
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

/// Rewrites a declared argument type for the named struct: elided lifetimes become `'a`, and
/// those inside a `&mut` referent become `'b` (a `&'a mut T<'a>` would be invariant in `'a` and
/// could not be built from a shorter borrow). Returns the type and how many `'a` and `'b` it has.
fn named_type(ty: &Type) -> (Type, usize, usize) {
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

fn expand_args_struct(s: &Shape<'_>) -> TokenStream {
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
    quote! {
        #[doc = #doc]
        pub struct #args_struct #generics {
            #(#fields)*
            #phantom
        }
    }
}

fn expand_event_impl(s: &Shape<'_>) -> TokenStream {
    let h = quote!(::hooks::__private);
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

fn expand_info(s: &Shape<'_>) -> TokenStream {
    let h = quote!(::hooks::__private);
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

/// The fire method's parameters (the `#[retval]` ones owned) and what it passes each listener.
fn fire_params(e: &EventDecl) -> (Vec<TokenStream>, Vec<TokenStream>) {
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
fn wrap_exec_once(e: &EventDecl, body: TokenStream, ret_ty: &TokenStream) -> TokenStream {
    let h = quote!(::hooks::__private);
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
fn expand_fire(s: &Shape<'_>) -> TokenStream {
    let h = quote!(::hooks::__private);
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
    let (body, ret_ty) = contract_body(e, &call_args);
    let body = wrap_exec_once(e, body, &ret_ty);
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
fn contract_body(e: &EventDecl, call_args: &[TokenStream]) -> (TokenStream, TokenStream) {
    let h = quote!(::hooks::__private);
    let name = &e.ident;
    let retval_count = e.retval_params().count();
    let listener_ty = quote!(&<#name as #h::Event>::Callable);
    let each = quote!(self.0.each::<#name, _>);
    let cont = quote!(::core::ops::ControlFlow::Continue(()));
    let brk = quote!(::core::ops::ControlFlow::Break(()));
    let output = e.output.as_ref();
    let (body, ret_ty) = match e.contract {
        Contract::None => (
            quote! {
                let _ = #each(&mut |__hooks_l: #listener_ty, _: &#h::Modifiers| {
                    __hooks_l(#(#call_args),*);
                    #cont
                });
            },
            quote!(()),
        ),
        Contract::Fallible => (
            quote! {
                let mut __hooks_outcome = ::core::result::Result::Ok(());
                let _ = #each(&mut |__hooks_l: #listener_ty, _: &#h::Modifiers| {
                    match __hooks_l(#(#call_args),*) {
                        ::core::result::Result::Ok(()) => #cont,
                        ::core::result::Result::Err(__hooks_e) => {
                            __hooks_outcome = ::core::result::Result::Err(__hooks_e);
                            #brk
                        }
                    }
                });
                __hooks_outcome
            },
            quote!(#output),
        ),
        Contract::Halting => (
            quote! {
                let mut __hooks_outcome = <#output as #h::Halt>::proceed();
                let _ = #each(&mut |__hooks_l: #listener_ty, _: &#h::Modifiers| {
                    let __hooks_r = __hooks_l(#(#call_args),*);
                    if #h::Halt::halts(&__hooks_r) {
                        __hooks_outcome = __hooks_r;
                        #brk
                    } else {
                        #cont
                    }
                });
                __hooks_outcome
            },
            quote!(#output),
        ),
        Contract::FallibleHalting => (
            quote! {
                let mut __hooks_outcome = ::core::result::Result::Ok(#h::Halt::proceed());
                let _ = #each(&mut |__hooks_l: #listener_ty, _: &#h::Modifiers| {
                    match __hooks_l(#(#call_args),*) {
                        ::core::result::Result::Ok(__hooks_r) if !#h::Halt::halts(&__hooks_r) => #cont,
                        __hooks_r => {
                            __hooks_outcome = __hooks_r;
                            #brk
                        }
                    }
                });
                __hooks_outcome
            },
            quote!(#output),
        ),
        Contract::Retval => {
            let init_parts = e.retval_params().map(|p| &p.ident);
            let init = if retval_count == 1 {
                quote!(#(#init_parts)*)
            } else {
                quote!((#(#init_parts),*))
            };
            (
                quote! {
                    let mut __hooks_value: #output = #init;
                    let _ = #each(&mut |__hooks_l: #listener_ty, _: &#h::Modifiers| {
                        if let ::core::option::Option::Some(__hooks_new) = __hooks_l(#(#call_args),*) {
                            __hooks_value = __hooks_new;
                        }
                        #cont
                    });
                    __hooks_value
                },
                quote!(#output),
            )
        }
    };
    (body, ret_ty)
}

/// The owned types of the `#[retval]` arguments: the return type, or its tuple's elements.
fn retval_owned_types(e: &EventDecl) -> Vec<Type> {
    match (&e.output, e.retval_params().count()) {
        (Some(ty), 1) => vec![ty.clone()],
        (Some(Type::Tuple(t)), _) => t.elems.iter().cloned().collect(),
        _ => Vec::new(),
    }
}

fn expand_family_impl(family: &FamilyDecl, shapes: &[Shape<'_>]) -> TokenStream {
    let h = quote!(::hooks::__private);
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

fn expand_table(family: &FamilyDecl, shapes: &[Shape<'_>]) -> TokenStream {
    let (vis, ident) = (&family.vis, &family.ident);
    let desc = FamilyDesc {
        name: ident.to_string(),
        events: shapes
            .iter()
            .map(|s| EventDesc {
                name: s.name.to_string(),
                contract: s.event.contract,
                modifiers: s.accepted_modifiers(),
                deprecated: s.event.deprecated,
            })
            .collect(),
    };
    let table = unique_macro_name("family", ident);
    quote! {
        #[doc(hidden)]
        #[macro_export]
        macro_rules! #table {
            (@hooks_collect { $($state:tt)* }) => {
                ::hooks::__private::target_collect! { { $($state)* } #desc }
            };
        }
        #[doc(hidden)]
        #vis use #table as #ident;
    }
}
