//! The target of `#[listens_for(Target, …)]` must name a type. A value, a reference, a call,
//! a path with generic arguments each get their own error here, before the target's table is
//! called, so that none reads as rustc's "cannot find macro".
//!
//! `Type::member` (two segments, the last in snake case) is left alone: it may name an
//! attribute of a type, and is checked as a path.

use quote::ToTokens;
use syn::parse::ParseStream;
use syn::{Expr, LitStr, Path, Token};

use crate::common::tidy;

/// Parses the target, or says why what is written there is not one.
pub(super) fn parse_target(input: ParseStream<'_>, usage: &str) -> syn::Result<Path> {
    let fork = input.fork();
    if !input.peek(Token![&])
        && let Ok(path) = fork.parse::<Path>()
        && (fork.is_empty() || fork.peek(Token![,]))
    {
        input.parse::<Path>()?;
        check_path(&path, &event_after(input))?;
        return Ok(path);
    }
    let expr: Expr = input
        .parse()
        .map_err(|e| syn::Error::new(e.span(), usage))?;
    let event = event_after(input);
    let text = tidy(&expr.to_token_stream().to_string());
    let what = match &expr {
        Expr::Reference(_) => format!("`{text}` is a reference to a value"),
        Expr::Call(_) | Expr::MethodCall(_) => format!("`{text}` is a call"),
        _ => format!("`{text}` is an expression"),
    };
    let value = match &expr {
        Expr::Reference(_) => text,
        _ => format!("&{text}"),
    };
    Err(not_a_type(&expr, &what, &value, &event))
}

fn check_path(path: &Path, event: &str) -> syn::Result<()> {
    if let Some(args) = path.segments.iter().find(|s| !s.arguments.is_none()) {
        // `new_spanned` underlines all of `<…>`, not only its `<`.
        return Err(syn::Error::new_spanned(
            &args.arguments,
            format!(
                "an event target is named without generic arguments: write `{}`",
                args.ident
            ),
        ));
    }
    let Some(ident) = path.get_ident() else {
        return Ok(());
    };
    let name = ident.to_string();
    let what = if is_constant_case(&name) {
        format!("`{name}` is a static or a const, not a type")
    } else if name.starts_with(|c: char| c.is_ascii_lowercase()) && !is_primitive(&name) {
        format!("`{name}` is a value, not a type")
    } else {
        return Ok(());
    };
    let value = if is_constant_case(&name) {
        format!("&*{name}")
    } else {
        format!("&{name}")
    };
    Err(not_a_type(path, &what, &value, event))
}

/// The error for a target written as a value: name the type, or listen on the value at
/// runtime.
fn not_a_type(at: impl ToTokens, what: &str, value: &str, event: &str) -> syn::Error {
    syn::Error::new_spanned(
        at,
        format!(
            "{what}: a target must be named by its own type name, e.g. `Engine`\n\
             help: `#[listens_for]` listens on every value of a type; to listen on one value, \
             register at runtime: `…_events::{event}.listen({value}, listener)`"
        ),
    )
}

/// The event name after the target, for the runtime example.
fn event_after(input: ParseStream<'_>) -> String {
    let fork = input.fork();
    fork.parse::<Token![,]>()
        .and_then(|_| fork.parse::<LitStr>())
        .map_or_else(|_| "event".to_owned(), |lit| lit.value())
}

/// `ENGINE`, `MAX_POOL`: how statics and consts are named.
pub(super) fn is_constant_case(name: &str) -> bool {
    name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && name.len() > 1
}

fn is_primitive(name: &str) -> bool {
    matches!(
        name,
        "bool"
            | "char"
            | "str"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "i8"
            | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "f32"
            | "f64"
    )
}
