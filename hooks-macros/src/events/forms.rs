//! The listener forms of one event, from one template: for each form its `Adapt` and `Listens`
//! impls, and on the marker its typed `listen*` method.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::shape::Shape;

/// A listener form, as the runtime's zero-sized type of the same name.
pub(crate) struct Form {
    /// The runtime type, `hooks::__private::<ident>`.
    ident: &'static str,
    /// The arguments come as one struct.
    named: bool,
    /// The result replaces the value the event passes on.
    retval: bool,
    /// The marker's method that takes this form.
    method: &'static str,
    /// That method's documentation.
    doc: &'static str,
}

pub(crate) const FORMS: [Form; 4] = [
    Form {
        ident: "Plain",
        named: false,
        retval: false,
        method: "listen_with",
        doc: "Listens for this event on `target` with `modifiers` (`insert`, `once`, …).\n\n\
              # Errors\n\nA modifier this event does not accept, or `named`/`retval`, which \
              have their own methods because they change the listener's signature.",
    },
    Form {
        ident: "Named",
        named: true,
        retval: false,
        method: "listen_named",
        doc: "Listens with a listener that takes the arguments by name, as one struct.\n\n\
              # Errors\n\nA modifier this event does not accept.",
    },
    Form {
        ident: "Retval",
        named: false,
        retval: true,
        method: "listen_retval",
        doc: "Listens with a `retval` listener: its result replaces the value the event passes \
              on.\n\n# Errors\n\nA modifier this event does not accept.",
    },
    Form {
        ident: "NamedRetval",
        named: true,
        retval: true,
        method: "listen_named_retval",
        doc: "Listens with a `named`, `retval` listener.\n\n# Errors\n\nA modifier this event \
              does not accept.",
    },
];

impl Form {
    /// The form `#[listens_for]`'s modifiers select: `Plain`, or the signature-changing ones
    /// it carries (`Named`, `Retval`, `NamedRetval`).
    pub(crate) fn of(named: bool, retval: bool) -> &'static Self {
        FORMS
            .iter()
            .find(|f| f.named == named && f.retval == retval)
            .unwrap_or(&FORMS[0])
    }

    /// `hooks::__private::<Form>`, under the given runtime path.
    pub(crate) fn path(&self, h: &TokenStream) -> TokenStream {
        let ident = format_ident!("{}", self.ident);
        quote!(#h::#ident)
    }

    /// Whether `s` has this form (the `retval` forms exist as methods on `retval` events only).
    fn offered(&self, s: &Shape<'_>) -> bool {
        !self.retval || s.retval_ret.is_some()
    }

    /// What a listener of this form returns.
    fn ret<'s>(&self, s: &'s Shape<'_>) -> &'s TokenStream {
        match (&s.retval_ret, self.retval) {
            (Some(r), true) => r,
            _ => &s.plain_ret,
        }
    }

    /// The inputs of the form's `Fn` bound: `(&A, &B)` or `(FooArgs<'_>)`.
    fn inputs(&self, s: &Shape<'_>) -> TokenStream {
        if self.named {
            let args = s.args_elided();
            quote!((#args))
        } else {
            let types = &s.types;
            quote!((#(#types),*))
        }
    }

    /// A closure of this form that calls `f`: `|a0: &A, a1: &B| f(a0, a1)`.
    fn forward(&self, s: &Shape<'_>, f: &TokenStream) -> TokenStream {
        if self.named {
            let args = s.args_elided();
            quote!(move |__hooks_args: #args| #f(__hooks_args))
        } else {
            let (internal, types) = (&s.internal, &s.types);
            quote!(move |#(#internal: #types),*| #f(#(#internal),*))
        }
    }

    fn fn_ptr(&self, s: &Shape<'_>) -> TokenStream {
        let ret = self.ret(s);
        if self.named {
            s.named_fn_ptr(ret)
        } else {
            s.fn_ptr(ret)
        }
    }
}

/// The `Adapt` and `Listens` impls of every form of one event.
pub(crate) fn expand_impls(s: &Shape<'_>, h: &TokenStream) -> TokenStream {
    FORMS
        .iter()
        .map(|form| expand_form_impls(form, s, h))
        .collect()
}

fn expand_form_impls(form: &Form, s: &Shape<'_>, h: &TokenStream) -> TokenStream {
    let name = s.name;
    let form_ty = form.path(h);
    let (inputs, ret, fn_ptr) = (form.inputs(s), form.ret(s), form.fn_ptr(s));
    let body = s.adapter_body(form.named, form.retval, &quote!(__hooks_listener));
    let from_arc = form.forward(s, &quote!(__hooks_f));
    // A static listener's stored closure calls its fn directly, built here rather than through
    // `adapt` and a forwarding closure: it is instantiated once per listener, so each layer
    // saved is a thousand fns fewer to compile in a crate of a thousand listeners.
    let from_static = s.adapter_body(form.named, form.retval, &quote!((W::F)));
    let send_sync = quote!(::core::marker::Send + ::core::marker::Sync);
    let arc = quote!(::std::sync::Arc<Self::Callable>);
    quote! {
        impl<L> #h::Adapt<#form_ty, L> for #name
        where
            L: ::core::ops::Fn #inputs -> #ret + #send_sync + 'static,
        {
            #[inline]
            fn adapt(__hooks_listener: L) -> #arc {
                #body
            }
        }

        impl #h::Listens<#form_ty> for #name {
            type Fn = #fn_ptr;
            type Dyn = dyn ::core::ops::Fn #inputs -> #ret + #send_sync;

            fn from_fn(listener: Self::Fn) -> #arc {
                <Self as #h::Adapt<#form_ty, Self::Fn>>::adapt(listener)
            }

            fn from_arc(__hooks_f: ::std::sync::Arc<Self::Dyn>) -> #arc {
                <Self as #h::Adapt<#form_ty, _>>::adapt(#from_arc)
            }

            fn from_static<W: #h::ConstFn<Self::Fn>>() -> #arc {
                #from_static
            }
        }
    }
}

/// The marker's `listen` and one `listen*` method per form the event offers.
pub(crate) fn expand_listen_methods(s: &Shape<'_>, h: &TokenStream) -> TokenStream {
    let family_ty = s.family_ty();
    let target = quote!(impl #h::ListenTarget<#family_ty>);
    let result = quote!(::core::result::Result<#h::ListenerHandle, #h::Error>);
    let bound = quote!(::core::marker::Send + ::core::marker::Sync + 'static);
    let plain = &FORMS[0];
    let (plain_inputs, plain_ret) = (plain.inputs(s), plain.ret(s));
    let methods = FORMS.iter().filter(|f| f.offered(s)).map(|form| {
        let (method, doc) = (format_ident!("{}", form.method), form.doc);
        let (inputs, ret, form_ty) = (form.inputs(s), form.ret(s), form.path(h));
        quote! {
            #[doc = #doc]
            pub fn #method(self, target: #target, modifiers: #h::Modifiers, listener: impl ::core::ops::Fn #inputs -> #ret + #bound) -> #result {
                #h::listen::<Self, #form_ty, _, _>(target, modifiers, listener)
            }
        }
    });
    quote! {
        /// Listens for this event on `target` (a `&instance`, or `hooks::Class::<Type>::new()`
        /// for every instance), with no modifier.
        ///
        /// # Errors
        ///
        /// Never for a target the compiler accepted; see [`listen_with`](Self::listen_with).
        pub fn listen(self, target: #target, listener: impl ::core::ops::Fn #plain_inputs -> #plain_ret + #bound) -> #result {
            self.listen_with(target, #h::Modifiers::NONE, listener)
        }

        #(#methods)*

        /// Removes `listener` (a fn, or a closure that captures nothing) from this event on
        /// `target`.
        ///
        /// # Errors
        ///
        /// When it is not registered there, or captures values (remove it by handle).
        pub fn remove<L: 'static>(self, target: #target, listener: L) -> ::core::result::Result<(), #h::Error> {
            #h::remove(target, self, listener)
        }

        /// Whether `listener` (a fn, or a closure that captures nothing) listens for this event
        /// on `target`.
        pub fn contains<L: 'static>(self, target: #target, listener: L) -> bool {
            #h::contains(target, self, listener)
        }
    }
}
