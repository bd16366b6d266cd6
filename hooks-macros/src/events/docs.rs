//! The rustdoc prose of a family: the trait page is the event catalog.

use proc_macro2::TokenStream;
use quote::quote;

use super::parse::{Contract, EventDecl, ExecOnce, FamilyDecl, Param};
use super::shape::Shape;
use crate::common::{doc_lines, type_text};

pub(super) fn expand_trait(family: &FamilyDecl, shapes: &[Shape<'_>]) -> TokenStream {
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

pub(super) fn expand_trait_method(s: &Shape<'_>) -> TokenStream {
    let e = s.event;
    let (docs, attrs, name) = (&e.docs, &e.other_attrs, &e.ident);
    let params = e
        .params
        .iter()
        .map(|Param { ident, ty, .. }| quote!(#ident: #ty));
    let output = e.output.as_ref().map(|t| quote!(-> #t));
    let mut lines = contract_lines(s);
    lines.extend(example_lines(s));
    let extra = doc_lines(&lines);
    quote! {
        #(#docs)*
        #extra
        #(#attrs)*
        fn #name(#(#params),*) #output where Self: Sized;
    }
}

/// The listener's signatures, contract, exec-once and modifiers, and where its typed items are.
fn contract_lines(s: &Shape<'_>) -> Vec<String> {
    let (e, name) = (s.event, s.name);
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
    lines
}

/// A `#[listens_for]` example with the event's arguments.
fn example_lines(s: &Shape<'_>) -> Vec<String> {
    let (e, name) = (s.event, s.name);
    let mut lines = Vec::new();
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
    lines
}

pub(super) fn contract_doc(e: &EventDecl) -> &'static str {
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
        Contract::FallibleRetval => {
            "retval and fallible: a `retval` listener returns `Ok` with the value the next \
             listener receives, or `Err`, which stops the chain and vetoes the operation (the \
             host stores nothing); a listener without `retval` returns `Ok(())` to pass the \
             value on unchanged."
        }
        Contract::FallibleHalting => {
            "halting and fallible: the first listener returning `Ok(true)` (or `Ok(Some(_))`) \
             stops the chain and its result is returned; one returning `Err` stops the chain and \
             aborts the operation with that error."
        }
    }
}
