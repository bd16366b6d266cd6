//! `#[listens_for(Target, "event", modifiers…)]`: registers a fn as a static listener, checked
//! at compile time against the target's events.

mod expand;
mod parse;

pub(crate) use expand::listens_for_impl;

use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn listens_for(args: TokenStream, item: TokenStream) -> TokenStream {
    let request = syn::parse2::<parse::ListenArgs>(args);
    let listener = parse::listener_fn(&item);
    let (request, listener) = match (request, listener) {
        (Ok(request), Ok(listener)) => (request, listener),
        (request, listener) => {
            let errors = [request.err(), listener.err()]
                .into_iter()
                .flatten()
                .map(|e| e.to_compile_error());
            return quote!(#(#errors)* #item);
        }
    };
    let parse::ListenArgs {
        target,
        event,
        modifiers,
    } = request;
    let ident = &listener.sig.ident;
    // The target's table is a macro named like the target; an unknown target fails right here,
    // on the user's token.
    quote! {
        #listener
        #target! { @hooks_listens_for { {#target} #event [#(#modifiers)*] #ident } }
    }
}
