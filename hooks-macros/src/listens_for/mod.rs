//! `#[listens_for(Target, "event", modifiers…)]`: registers a fn as a static listener, checked
//! at compile time against the target's events.

mod expand;
mod member;
mod misuse;
mod parse;
mod signature;
mod target_shape;

pub(crate) use expand::listens_for_impl;

use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn listens_for(args: TokenStream, item: &TokenStream) -> TokenStream {
    let request = syn::parse2::<parse::ListenArgs>(args.clone());
    let listener = parse::listener_fn(item);
    let listener = match (&request, listener) {
        (Ok(request), Ok(listener)) => {
            misuse::check_repeated(request, &listener).map(|()| listener)
        }
        (_, listener) => listener,
    };
    let (request, listener) = match (request, listener) {
        (Ok(request), Ok(listener)) => (request, listener),
        (request, listener) => {
            let errors = [request.err(), listener.err()]
                .into_iter()
                .flatten()
                .map(|e| e.to_compile_error());
            let target = parse::target_of(args).map(|t| member::split(&t).map_or(t, |m| m.owner));
            let target = target.into_iter();
            return quote!(#(#errors)* #item #(#target! { @hooks_name })*);
        }
    };
    let parse::ListenArgs {
        target,
        event,
        modifiers,
        krate,
    } = request;
    let member = member::split(&target);
    if signature::has_undeclared_lifetime(&listener.sig) {
        let owner = member.map_or(target, |m| m.owner);
        return quote!(#listener #owner! { @hooks_name });
    }
    let listener = allow_signature_lints(listener);
    let sig = signature::tokens(&listener.sig);
    if let Some(member::Member {
        owner,
        name: member,
        module,
    }) = member
    {
        // `User::phone`: `User`'s table knows its members and calls the member's own table.
        return quote! {
            #listener
            #owner! { @hooks_member #member { #module } { {#krate} #event [#(#modifiers)*] #sig } }
        };
    }
    // The target's table is a macro named like the target; an unknown target fails right here,
    // on the user's token.
    quote! {
        #listener
        #target! { @hooks_listens_for { {#target} {#krate} #event [#(#modifiers)*] #sig } }
    }
}

/// The event dictates the listener's signature, so the pedantic lints that would have the user
/// change it (take a `Copy` argument by value, a named-arguments struct by reference, return
/// no `Result` from a fallible listener that never fails, take `Option<&T>` or `&str` where the
/// event passes `&Option<T>` or `&String`) cannot be followed: they are allowed on the
/// listener, and on nothing else.
fn allow_signature_lints(mut listener: syn::ItemFn) -> syn::ItemFn {
    listener.attrs.push(syn::parse_quote! {
        #[allow(
            clippy::needless_pass_by_value,
            clippy::ptr_arg,
            clippy::ref_option,
            clippy::trivially_copy_pass_by_ref,
            clippy::unnecessary_wraps
        )]
    });
    listener
}
