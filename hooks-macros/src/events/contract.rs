//! An event's `#[event(...)]` options (its contract, exec-once and modifiers) and the checks
//! that its declared return type fits its contract.

use proc_macro2::Span;
use std::fmt::Write as _;
use syn::spanned::Spanned;
use syn::{Attribute, Ident, Type};

use super::parse::{Contract, EventDecl, ExecOnce};
use crate::common::Errors;

pub(super) struct EventOptions {
    pub(super) contract: Contract,
    pub(super) contract_span: Span,
    /// A contract was named already: a second one must pair `halting` with `fallible`.
    contract_set: bool,
    pub(super) exec_once: Option<ExecOnce>,
    pub(super) modifiers: Vec<Ident>,
}

/// Takes the `#[event(...)]` attributes out of `attrs`.
pub(super) fn take_event_options(attrs: &mut Vec<Attribute>, errors: &mut Errors) -> EventOptions {
    let mut options = EventOptions {
        contract: Contract::None,
        contract_span: Span::call_site(),
        contract_set: false,
        exec_once: None,
        modifiers: Vec::new(),
    };
    attrs.retain(|attr| {
        if !attr.path().is_ident("event") {
            return true;
        }
        if let Err(e) = attr.parse_nested_meta(|meta| options.apply(&meta)) {
            errors.push(e);
        }
        false
    });
    options
}

impl EventOptions {
    /// One option of `#[event(...)]`.
    fn apply(&mut self, meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
        let contract = [
            ("retval", Contract::Retval),
            ("halting", Contract::Halting),
            ("fallible", Contract::Fallible),
        ]
        .into_iter()
        .find(|(name, _)| meta.path.is_ident(name));
        if let Some((_, contract)) = contract {
            self.set_contract(meta, contract)
        } else if meta.path.is_ident("exec_once") {
            self.exec_once = Some(ExecOnce::Always);
            if !meta.input.peek(syn::token::Paren) {
                return Ok(());
            }
            meta.parse_nested_meta(|inner| {
                if inner.path.is_ident("unless_error") {
                    self.exec_once = Some(ExecOnce::UnlessError);
                    Ok(())
                } else {
                    Err(inner.error("expected `unless_error`"))
                }
            })
        } else if meta.path.is_ident("modifiers") {
            meta.parse_nested_meta(|inner| match inner.path.get_ident() {
                Some(ident) => {
                    self.modifiers.push(ident.clone());
                    Ok(())
                }
                None => Err(inner.error("expected a modifier name")),
            })
        } else {
            Err(unknown_event_option(&meta.path))
        }
    }

    /// `retval`, `halting` or `fallible`; `fallible` with `halting` or `retval` makes one contract.
    fn set_contract(
        &mut self,
        meta: &syn::meta::ParseNestedMeta<'_>,
        contract: Contract,
    ) -> syn::Result<()> {
        if self.contract_set {
            if let Some(both) = combined_contract(self.contract, contract) {
                self.contract = both;
                return Ok(());
            }
            return Err(meta.error(
                "an event has one contract: `retval`, `halting` or `fallible` \
                 (or `halting, fallible` or `retval, fallible` together)",
            ));
        }
        self.contract_set = true;
        self.contract = contract;
        self.contract_span = meta.path.span();
        Ok(())
    }
}

/// The contract two contract options written together stand for, if they combine.
fn combined_contract(first: Contract, second: Contract) -> Option<Contract> {
    let both = [first, second];
    if !both.contains(&Contract::Fallible) {
        return None;
    }
    if both.contains(&Contract::Halting) {
        Some(Contract::FallibleHalting)
    } else if both.contains(&Contract::Retval) {
        Some(Contract::FallibleRetval)
    } else {
        None
    }
}

const EVENT_OPTIONS: [&str; 5] = ["retval", "halting", "fallible", "exec_once", "modifiers"];

fn unknown_event_option(path: &syn::Path) -> syn::Error {
    let name = crate::common::tidy(&quote::quote!(#path).to_string());
    let mut message = format!("unknown event option `{name}`");
    if let Some(suggestion) = crate::text::closest(&name, EVENT_OPTIONS) {
        let _ = write!(message, "\nhelp: did you mean `{suggestion}`?");
    }
    message.push_str(
        "\nnote: the options are `retval`, `halting`, `fallible`, `exec_once`, \
         `exec_once(unless_error)` and `modifiers(…)`",
    );
    syn::Error::new_spanned(path, message)
}

pub(super) fn check_contract(event: &EventDecl, span: Span, errors: &mut Errors) {
    let name = &event.ident;
    let retval_count = event.retval_params().count();
    match (event.contract, &event.output) {
        (Contract::None, Some(ty)) => errors.add(
            ty.span(),
            format!(
                "event `{name}` returns a value but declares no contract; add \
                 `#[event(retval)]`, `#[event(halting)]` or `#[event(fallible)]`"
            ),
        ),
        (contract, None) if contract != Contract::None => errors.add(
            span,
            format!(
                "event `{name}` is `{}` but declares no return type",
                event.contract.name()
            ),
        ),
        (Contract::FallibleHalting, Some(ty)) if !is_result(ty) => errors.add(
            ty.span(),
            "a `halting, fallible` event returns `Result<bool, YourError>` or \
             `Result<Option<T>, YourError>`",
        ),
        (Contract::Fallible, Some(ty)) if !is_unit_result(ty) => errors.add(
            ty.span(),
            "a `fallible` event returns `Result<(), YourError>`",
        ),
        (Contract::FallibleRetval, Some(ty)) if result_parts(ty).is_none() => errors.add(
            ty.span(),
            "a `retval, fallible` event returns `Result<T, YourError>`, `T` being the owned \
             type of its `#[retval]` argument (or a tuple of them)",
        ),
        (Contract::Retval | Contract::FallibleRetval, Some(_)) => {
            check_retval_value(event, span, errors);
        }
        _ => {}
    }
    if !event.contract.is_retval() && retval_count > 0 {
        for p in event.retval_params() {
            errors.add(
                p.ident.span(),
                "`#[retval]` arguments need `#[event(retval)]`",
            );
        }
    }
    if event.contract.is_retval() && event.exec_once.is_some() {
        errors.add(span, "an exec-once event cannot be `retval`");
    }
}

/// A `retval` event marks its replaceable arguments, and returns their owned types (a tuple
/// of them for more than one).
fn check_retval_value(event: &EventDecl, span: Span, errors: &mut Errors) {
    let retval_count = event.retval_params().count();
    let Some(ty) = event.retval_value() else {
        return;
    };
    if retval_count == 0 {
        errors.add(
            span,
            "a `retval` event marks the arguments listeners may replace with `#[retval]`",
        );
    } else if retval_count > 1 && !matches!(ty, Type::Tuple(t) if t.elems.len() == retval_count) {
        errors.add(
            ty.span(),
            format!(
                "{retval_count} arguments are `#[retval]`: return a tuple of their owned types, \
                 in order"
            ),
        );
    }
}

/// The `T` and `E` of a `Result<T, E>`, by its last path segment.
pub(super) fn result_parts(ty: &Type) -> Option<(&Type, &Type)> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    });
    match (
        last.ident == "Result",
        types.next(),
        types.next(),
        types.next(),
    ) {
        (true, Some(ok), Some(err), None) => Some((ok, err)),
        _ => None,
    }
}

/// `Result<_, _>`, by its last path segment.
fn is_result(ty: &Type) -> bool {
    let Type::Path(path) = ty else { return false };
    path.path.segments.last().is_some_and(|last| {
        last.ident == "Result"
            && matches!(&last.arguments, syn::PathArguments::AngleBracketed(a) if a.args.len() == 2)
    })
}

fn is_unit_result(ty: &Type) -> bool {
    let Type::Path(path) = ty else { return false };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return false;
    };
    last.ident == "Result"
        && args.args.len() == 2
        && matches!(args.args.first(), Some(syn::GenericArgument::Type(Type::Tuple(t))) if t.elems.is_empty())
}
