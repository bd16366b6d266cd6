//! Parsing and validating an event family declaration: a trait of event signatures.

use std::fmt::Write as _;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{
    Attribute, FnArg, Ident, ItemTrait, Pat, ReturnType, Token, TraitItem, Type, Visibility,
};

use super::contract::{check_contract, result_parts, take_event_options};
use crate::common::{Errors, snake_case};

pub(crate) use hooks_runtime::{Contract, ExecOnceMode as ExecOnce};

/// The arguments of `#[hooks::events(...)]`.
#[derive(Default)]
pub(crate) struct FamilyArgs {
    pub(crate) propagate: bool,
    pub(crate) modifiers: Vec<Ident>,
    pub(crate) module: Option<Ident>,
    /// `targets(Pool, Engine)`: the types that accept the family, named by the error of a
    /// listener that names the family as its target.
    pub(crate) targets: Vec<Ident>,
    /// The path of the `hooks` crate (`crate = path`).
    pub(crate) krate: crate::common::CratePath,
}

impl FamilyArgs {
    /// Parses `#[hooks::events(...)]`. The valid options come back along with the errors, so
    /// that the family is still expanded and a typo here does not cascade into every use.
    pub(crate) fn parse(tokens: proc_macro2::TokenStream) -> (Self, syn::Result<()>) {
        let mut args = Self::default();
        let mut errors = Errors::default();
        let parser = Punctuated::<syn::Meta, Token![,]>::parse_terminated;
        match syn::parse::Parser::parse2(parser, tokens) {
            Ok(metas) => metas
                .into_iter()
                .for_each(|meta| args.apply(&meta, &mut errors)),
            Err(e) => errors.push(e),
        }
        (args, errors.finish())
    }

    fn apply(&mut self, meta: &syn::Meta, errors: &mut Errors) {
        let path = meta.path();
        if path.is_ident("propagate") {
            match meta.require_path_only() {
                Ok(_) => self.propagate = true,
                Err(e) => errors.push(e),
            }
        } else if path.is_ident("modifiers") {
            match ident_list(meta) {
                Ok(list) => self.modifiers.extend(list),
                Err(e) => errors.push(e),
            }
        } else if path.is_ident("targets") {
            match ident_list(meta) {
                Ok(list) => self.targets.extend(list),
                Err(e) => errors.push(e),
            }
        } else if path.is_ident("crate") {
            match meta
                .require_name_value()
                .and_then(|nv| crate::common::CratePath::from_value(&nv.value))
            {
                Ok(krate) => self.krate = krate,
                Err(e) => errors.push(e),
            }
        } else if path.is_ident("module") {
            match meta.require_name_value().map(|nv| &nv.value) {
                Ok(syn::Expr::Path(p)) if p.path.get_ident().is_some() => {
                    self.module = p.path.get_ident().cloned();
                }
                Ok(other) => errors.push(syn::Error::new_spanned(
                    other,
                    "expected a module name, e.g. `module = pool_events`",
                )),
                Err(e) => errors.push(e),
            }
        } else {
            errors.push(unknown_family_option(path));
        }
    }
}

/// `name(a, b)`.
fn ident_list(meta: &syn::Meta) -> syn::Result<Punctuated<Ident, Token![,]>> {
    meta.require_list()
        .and_then(|l| l.parse_args_with(Punctuated::<Ident, Token![,]>::parse_terminated))
}

const FAMILY_OPTIONS: [&str; 5] = ["propagate", "modifiers", "targets", "module", "crate"];

fn unknown_family_option(path: &syn::Path) -> syn::Error {
    let name = crate::common::tidy(&quote::quote!(#path).to_string());
    let mut message = format!("unknown family option `{name}`");
    if let Some(suggestion) = crate::text::closest(&name, FAMILY_OPTIONS) {
        let _ = write!(message, "\nhelp: did you mean `{suggestion}`?");
    }
    message.push_str(
        "\nnote: the options are `propagate`, `modifiers(…)`, `targets(…)`, `module = name` and \
         `crate = path`",
    );
    syn::Error::new_spanned(path, message)
}

/// One parameter of an event.
pub(crate) struct Param {
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
    /// Part of the value a `retval` listener replaces.
    pub(crate) retval: bool,
    /// The object the event is about, erased: a static listener on one class may take it as
    /// that class's view (`hooks::FromTarget`).
    pub(crate) target: bool,
}

impl Param {
    pub(crate) fn is_mut_ref(&self) -> bool {
        matches!(&self.ty, Type::Reference(r) if r.mutability.is_some())
    }
    pub(crate) fn is_ref(&self) -> bool {
        matches!(&self.ty, Type::Reference(_))
    }
}

/// One event of the family.
pub(crate) struct EventDecl {
    pub(crate) ident: Ident,
    pub(crate) docs: Vec<Attribute>,
    pub(crate) other_attrs: Vec<Attribute>,
    pub(crate) params: Vec<Param>,
    pub(crate) output: Option<Type>,
    pub(crate) contract: Contract,
    pub(crate) exec_once: Option<ExecOnce>,
    pub(crate) modifiers: Vec<Ident>,
    pub(crate) deprecated: bool,
}

impl EventDecl {
    pub(crate) fn retval_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| p.retval)
    }

    /// The owned value a `retval` listener returns: the declared output, or for a
    /// `retval, fallible` event its `Ok` type.
    pub(crate) fn retval_value(&self) -> Option<&Type> {
        match self.contract {
            Contract::Retval => self.output.as_ref(),
            Contract::FallibleRetval => self.output.as_ref().and_then(result_parts).map(|p| p.0),
            _ => None,
        }
    }
}

/// A whole family declaration.
pub(crate) struct FamilyDecl {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) ident: Ident,
    pub(crate) module: Ident,
    pub(crate) args: FamilyArgs,
    pub(crate) events: Vec<EventDecl>,
}

impl FamilyDecl {
    /// Validates the declaration. The family comes back whenever it can be expanded, even with
    /// errors: the events in error are left out, so that the rest of the family (and the
    /// targets and listeners using it) still compile and the user sees only the errors here.
    pub(crate) fn parse(args: FamilyArgs, item: ItemTrait) -> (Option<Self>, syn::Result<()>) {
        let mut errors = Errors::default();
        check_trait_shape(&item, &mut errors);
        let shape_ok = errors.count() == 0;
        let mut events: Vec<EventDecl> = Vec::new();
        let mut declared: Vec<Ident> = Vec::new();
        for trait_item in item.items {
            let TraitItem::Fn(f) = trait_item else {
                errors.push(syn::Error::new_spanned(
                    &trait_item,
                    "an event family declares only events: `fn name(arg: Type, …);`",
                ));
                continue;
            };
            if let Some(first) = declared.iter().find(|e| **e == f.sig.ident) {
                errors.add(f.sig.ident.span(), duplicate_event(first));
                continue;
            }
            declared.push(f.sig.ident.clone());
            if let Some(event) = parse_event(f, &mut errors) {
                events.push(event);
            }
        }
        // Only when no event is declared at all: events in error were reported already.
        if declared.is_empty() {
            errors.add(
                item.ident.span(),
                "an event family declares at least one event",
            );
        }
        check_arg_names(&events, &mut errors);
        let module = args
            .module
            .clone()
            .unwrap_or_else(|| Ident::new(&snake_case(&item.ident.to_string()), item.ident.span()));
        let family = (shape_ok && !declared.is_empty()).then_some(Self {
            attrs: item.attrs,
            vis: item.vis,
            ident: item.ident,
            module,
            args,
            events,
        });
        (family, errors.finish())
    }
}

/// One error for a duplicate, on the second name; the first is located by its line, because a
/// second error "first declared here" would count as another error.
fn duplicate_event(first: &Ident) -> String {
    let line = first.span().unwrap().line();
    format!(
        "the event `{first}` is declared twice in this family\n\
         note: `{first}` is first declared on line {line}; rename or remove one"
    )
}

fn check_trait_shape(item: &ItemTrait, errors: &mut Errors) {
    if !item.generics.params.is_empty() {
        errors.add(item.generics.span(), "an event family cannot be generic");
    }
    if let Some(colon) = item.colon_token {
        errors.add(colon.span(), "an event family cannot have supertraits");
    }
    if let Some(unsafety) = item.unsafety {
        errors.add(unsafety.span(), "an event family cannot be `unsafe`");
    }
    if let Some(auto) = item.modifiers.auto_token {
        errors.add(auto.span(), "an event family cannot be an auto trait");
    }
}

/// An argument named like an event would be shadowed by the event's marker in generated code.
fn check_arg_names(events: &[EventDecl], errors: &mut Errors) {
    for event in events {
        for param in &event.params {
            if events.iter().any(|e| e.ident == param.ident) {
                errors.add(
                    param.ident.span(),
                    format!(
                        "argument `{}` has the name of an event of this family; rename it",
                        param.ident
                    ),
                );
            }
        }
    }
}

fn parse_event(f: syn::TraitItemFn, errors: &mut Errors) -> Option<EventDecl> {
    let sig = &f.sig;
    let before = errors.count();
    if let Some(body) = &f.default {
        errors.add(
            body.span(),
            "an event is declared without a body: end it with `;`",
        );
    }
    if let Some(t) = sig.asyncness {
        errors.add(t.span(), "events cannot be `async`");
    }
    if let Some(t) = sig.constness {
        errors.add(t.span(), "events cannot be `const`");
    }
    if let syn::Safety::Unsafe(t) = sig.safety {
        errors.add(t.span(), "events cannot be `unsafe`");
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        errors.add(
            sig.generics.span(),
            "events take no generic parameters; write argument lifetimes elided (`&Type`)",
        );
    }
    let params = parse_params(sig, errors);
    let (docs, mut other_attrs): (Vec<_>, Vec<_>) =
        f.attrs.into_iter().partition(|a| a.path().is_ident("doc"));
    let before_options = errors.count();
    let options = take_event_options(&mut other_attrs, errors);
    let options_ok = errors.count() == before_options;
    let deprecated = other_attrs.iter().any(|a| a.path().is_ident("deprecated"));
    let output = match &sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => Some((**ty).clone()),
    };
    let event = EventDecl {
        ident: sig.ident.clone(),
        docs,
        other_attrs,
        params,
        output,
        contract: options.contract,
        exec_once: options.exec_once,
        modifiers: options.modifiers,
        deprecated,
    };
    // With an option in error the contract is unknown: checking it would add a second error
    // for the same mistake (`#[event(halts)] fn f() -> bool` "declares no contract").
    if options_ok {
        check_contract(&event, options.contract_span, errors);
    }
    (errors.count() == before).then_some(event)
}

fn parse_params(sig: &syn::Signature, errors: &mut Errors) -> Vec<Param> {
    let mut params = Vec::new();
    if let Some(v) = &sig.variadic {
        errors.add(v.span(), "events cannot be variadic");
    }
    for input in &sig.inputs {
        match input {
            FnArg::Receiver(r) => errors.add(
                r.span(),
                "events take no `self`: declare only the arguments listeners receive",
            ),
            FnArg::Typed(pt) => {
                let Pat::Ident(pi) = &*pt.pat else {
                    errors.add(
                        pt.pat.span(),
                        "event arguments are plain names: `name: Type`",
                    );
                    continue;
                };
                let (mut retval, mut target) = (false, false);
                for attr in &pt.attrs {
                    let bare = matches!(attr.meta, syn::Meta::Path(_));
                    if bare && attr.path().is_ident("retval") {
                        retval = true;
                    } else if bare && attr.path().is_ident("target") {
                        target = true;
                        check_target_param(pt, attr, &params, errors);
                    } else {
                        errors.add(
                            attr.span(),
                            "the argument attributes are `#[retval]` and `#[target]`",
                        );
                    }
                }
                params.push(Param {
                    ident: pi.ident.clone(),
                    ty: (*pt.ty).clone(),
                    retval,
                    target,
                });
            }
        }
    }
    params
}

/// `#[target]` marks one shared reference per event: the view a listener takes in its place is
/// a reference too.
fn check_target_param(pt: &syn::PatType, attr: &Attribute, before: &[Param], errors: &mut Errors) {
    if before.iter().any(|p| p.target) {
        errors.add(attr.span(), "an event has one `#[target]` argument");
    } else if !matches!(&*pt.ty, Type::Reference(r) if r.mutability.is_none()) {
        errors.add(
            pt.ty.span(),
            "a `#[target]` argument is a shared reference: `&Type`",
        );
    }
}
