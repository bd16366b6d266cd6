//! Parsing `#[listens_for(Target, "event", modifier, …)]` and the fn it is on.

use proc_macro2::{Span, TokenStream};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{Ident, LitStr, Path, Token};

use crate::common::Errors;

const USAGE: &str = "expected `#[listens_for(Target, \"event\", modifiers…)]`, \
                     e.g. `#[listens_for(Engine, \"before_execute\", retval)]`";

/// The attribute's arguments.
pub(crate) struct ListenArgs {
    pub(crate) target: Path,
    pub(crate) event: LitStr,
    pub(crate) modifiers: Vec<Ident>,
    /// `crate = path`: the path of the `hooks` crate, when not the one the target's table
    /// passes on.
    pub(crate) krate: Option<Path>,
}

impl Parse for ListenArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.is_empty() {
            return Err(syn::Error::new(Span::call_site(), USAGE));
        }
        let target = super::target_shape::parse_target(input, USAGE)?;
        let event = parse_event(input, &target)?;
        let mut args = Self {
            target,
            event,
            modifiers: Vec::new(),
            krate: None,
        };
        args.parse_modifiers(input)?;
        Ok(args)
    }
}

/// The target of attribute arguments that were rejected after it, if it is one: the expansion
/// still names it, so that its import is not reported unused on top of the error.
pub(crate) fn target_of(args: TokenStream) -> Option<Path> {
    let parser = |input: ParseStream<'_>| {
        let target = super::target_shape::parse_target(input, USAGE)?;
        input.parse::<TokenStream>()?;
        Ok(target)
    };
    syn::parse::Parser::parse2(parser, args).ok()
}

/// `, "event"` after the target.
fn parse_event(input: ParseStream<'_>, target: &Path) -> syn::Result<LitStr> {
    if input.is_empty() {
        let name = crate::common::tidy(&quote::quote!(#target).to_string());
        return Err(syn::Error::new_spanned(
            target,
            format!(
                "expected the event name after the target: `#[listens_for({name}, \"event\")]`"
            ),
        ));
    }
    input.parse::<Token![,]>()?;
    if input.peek(LitStr) {
        return input.parse();
    }
    // A bare event name is the likely slip: show it quoted. A const's name is not an event's:
    // the macro cannot read a const, so it says the name must be written out.
    let message = match input.fork().parse::<Ident>() {
        Ok(name) if !super::target_shape::is_constant_case(&name.to_string()) => {
            format!("the event name is a string literal: write `\"{name}\"`")
        }
        Ok(name) => format!(
            "the event name is written as a string literal, e.g. `\"connect\"`: \
             the attribute cannot read the value of `{name}`"
        ),
        Err(_) => "expected the event name as a string literal, e.g. `\"connect\"`".to_owned(),
    };
    Err(syn::Error::new(input.span(), message))
}

impl ListenArgs {
    /// `, modifier, …, crate = path` after the event.
    fn parse_modifiers(&mut self, input: ParseStream<'_>) -> syn::Result<()> {
        let mut errors = Errors::default();
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            if input.peek(Token![crate]) && input.peek2(Token![=]) {
                input.parse::<Token![crate]>()?;
                input.parse::<Token![=]>()?;
                self.krate = Some(input.parse()?);
                continue;
            }
            let modifier = parse_modifier(input)?;
            if self.modifiers.contains(&modifier) {
                errors.add(modifier.span(), format!("duplicate modifier `{modifier}`"));
                continue;
            }
            self.modifiers.push(modifier);
        }
        errors.finish()
    }
}

/// One modifier: a bare name, with no value.
fn parse_modifier(input: ParseStream<'_>) -> syn::Result<Ident> {
    if input.peek(LitStr) {
        let quoted: LitStr = input.parse()?;
        return Err(syn::Error::new(
            quoted.span(),
            format!(
                "modifiers are written bare, not quoted: write `{}`",
                quoted.value()
            ),
        ));
    }
    let modifier: Ident = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected a modifier name such as `retval`, `insert`, `once`, `named` or `propagate`",
        )
    })?;
    if input.peek(Token![=]) {
        let eq: Token![=] = input.parse()?;
        let value: syn::Expr = input.parse()?;
        return Err(syn::Error::new_spanned(
            quote::quote!(#modifier #eq #value),
            format!("modifiers take no value: write `{modifier}` alone"),
        ));
    }
    Ok(modifier)
}

/// Checks that the item is a fn that can be registered; on error the item is still emitted.
pub(crate) fn listener_fn(item: &TokenStream) -> syn::Result<syn::ItemFn> {
    let parsed: syn::Item = syn::parse2(item.clone())?;
    let f = match parsed {
        syn::Item::Fn(f) => f,
        other => {
            let (span, kind) = describe(&other);
            return Err(syn::Error::new(
                span,
                format!("`#[listens_for]` applies to fns, not {kind}"),
            ));
        }
    };
    let mut errors = Errors::default();
    let sig = &f.sig;
    check_fn_kind(sig, &mut errors);
    if sig
        .generics
        .params
        .iter()
        .any(|p| !matches!(p, syn::GenericParam::Lifetime(_)))
    {
        errors.push(syn::Error::new_spanned(
            &sig.generics,
            "a listener cannot be generic: one concrete fn is registered",
        ));
    }
    if let Some(ty) = sig.inputs.iter().find_map(impl_trait_param) {
        errors.push(syn::Error::new_spanned(
            ty,
            "a listener cannot be generic: an `impl Trait` parameter makes it so; \
             write the type the event passes",
        ));
    }
    if let Some(syn::FnArg::Receiver(r)) = sig.inputs.first() {
        errors.push(syn::Error::new_spanned(
            r,
            "a listener cannot take `self`: register a free fn, which may call the method",
        ));
    }
    errors.finish()?;
    Ok(f)
}

/// `async`, `const`, `unsafe`, `extern`: a listener is a plain fn, called synchronously.
fn check_fn_kind(sig: &syn::Signature, errors: &mut Errors) {
    if let Some(t) = sig.asyncness {
        errors.add(
            t.span(),
            "a listener cannot be `async`: events are fired synchronously",
        );
    }
    if let Some(t) = sig.constness {
        errors.add(t.span(), "a listener cannot be a `const fn`");
    }
    if let syn::Safety::Unsafe(t) = sig.safety {
        errors.add(t.span(), "a listener cannot be `unsafe`");
    }
    if let Some(abi) = &sig.abi {
        errors.add(
            abi.span(),
            "a listener uses the Rust ABI: remove the `extern`",
        );
    }
}

/// The `impl Trait` in a parameter's type (`impl Fn()`, `&impl Display`, `Box<impl Any>`…).
fn impl_trait_param(input: &syn::FnArg) -> Option<&syn::TypeImplTrait> {
    struct Find<'a>(Option<&'a syn::TypeImplTrait>);
    impl<'a> syn::visit::Visit<'a> for Find<'a> {
        fn visit_type_impl_trait(&mut self, t: &'a syn::TypeImplTrait) {
            self.0.get_or_insert(t);
        }
    }
    let syn::FnArg::Typed(typed) = input else {
        return None;
    };
    let mut find = Find(None);
    syn::visit::Visit::visit_type(&mut find, &typed.ty);
    find.0
}

fn describe(item: &syn::Item) -> (Span, &'static str) {
    match item {
        syn::Item::Struct(s) => (s.ident.span(), "structs"),
        syn::Item::Enum(e) => (e.ident.span(), "enums"),
        syn::Item::Trait(t) => (t.ident.span(), "traits"),
        syn::Item::Impl(i) => (i.impl_token.span(), "impl blocks"),
        syn::Item::Mod(m) => (m.ident.span(), "modules"),
        syn::Item::Static(s) => (s.ident.span(), "statics"),
        syn::Item::Const(c) => (c.ident.span(), "consts"),
        syn::Item::Type(t) => (t.ident.span(), "type aliases"),
        other => (other.span(), "this kind of item"),
    }
}
