//! The listener's signature against the event's, compared by shape before rustc compares the
//! types: a wrong arity, `&` against a value, `&mut` against `&`, a missing or extra return
//! type is reported here, on the user's token, naming the event and its full signature. What
//! cannot be told from the tokens alone (an alias, a type of another name) is left to rustc's
//! own type check.

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::{FnArg, ReturnType, Type};

use crate::common::type_text;
use crate::descriptor::EventDesc;

/// The listener as `#[listens_for]` passed it on: its name, parameters and return type.
pub(super) struct ListenerSig {
    pub(super) ident: syn::Ident,
    /// The parentheses around the parameters, where a missing parameter or return type is
    /// reported.
    pub(super) parens: TokenStream,
    pub(super) inputs: Vec<FnArg>,
    pub(super) output: ReturnType,
}

/// What the check needs to know about the event and the attribute.
pub(super) struct Expected<'a> {
    pub(super) event: &'a EventDesc,
    pub(super) family: &'a str,
    pub(super) target: &'a str,
    /// The attribute carries `retval`.
    pub(super) retval: bool,
    /// The target's typed view (`Obj<User>`), when the listener may take the event's
    /// `#[target]` argument as `&Obj<User>`.
    pub(super) view: Option<&'a str>,
}

impl Expected<'_> {
    fn ret(&self) -> &str {
        if self.retval {
            &self.event.retval_ret
        } else {
            &self.event.plain_ret
        }
    }

    /// `fn on_open(shop: &Shop, hour: u32)`: the listener as it must be, under its own name,
    /// ready to be copied.
    fn signature(&self, listener: &syn::Ident) -> String {
        let params: Vec<String> = (self.event.params.iter().enumerate())
            .map(|(i, (name, ty))| format!("{name}: {}", self.param_type(i, ty)))
            .collect();
        let ret = match self.ret() {
            "" => String::new(),
            r => format!(" -> {r}"),
        };
        format!("fn {listener}({}){ret}", params.join(", "))
    }

    /// The type the listener's `i`-th argument is best written as: the target's view for the
    /// `#[target]` argument, when it has one; the declared type otherwise.
    fn param_type(&self, i: usize, declared: &str) -> String {
        match self.view {
            Some(view) if self.event.target_param == Some(i) => format!("&{view}"),
            _ => declared.to_owned(),
        }
    }

    /// The error on `at`: `what` is wrong, `help` says the fix, and a note spells the whole
    /// signature out.
    fn fail(
        &self,
        listener: &ListenerSig,
        at: impl quote::ToTokens,
        what: &str,
        help: &str,
    ) -> syn::Error {
        let form = if self.retval {
            "a `retval` listener"
        } else {
            "a listener"
        };
        syn::Error::new_spanned(
            at,
            format!(
                "{what}\nhelp: {help}\nnote: {form} of `{}`'s \"{}\" (`{}`) is `{}`",
                self.target,
                self.event.name,
                self.family,
                self.signature(&listener.ident)
            ),
        )
    }
}

/// The first mismatch that is certain from the tokens, as one error; `Ok` leaves the rest to
/// rustc. `named` listeners take one struct and are left to rustc entirely.
pub(super) fn check(expected: &Expected<'_>, listener: &ListenerSig) -> syn::Result<()> {
    let (declared, event) = (&expected.event.params, &expected.event.name);
    let name = &listener.ident;
    if listener.inputs.len() != declared.len() {
        let what = format!(
            "`{name}` takes {}, but \"{event}\" passes {}",
            count(listener.inputs.len()),
            count(declared.len())
        );
        let help = "take the event's arguments, in its order";
        return Err(match listener.inputs.get(declared.len()) {
            Some(extra) => expected.fail(listener, extra, &what, help),
            None => expected.fail(listener, &listener.parens, &what, help),
        });
    }
    for (i, (input, (param, declared_ty))) in listener.inputs.iter().zip(declared).enumerate() {
        let FnArg::Typed(typed) = input else { continue };
        if let Some(view) = expected
            .view
            .filter(|_| expected.event.target_param == Some(i))
        {
            if other_class(view, &typed.ty) {
                let got = type_text(&typed.ty);
                let what = format!(
                    "a listener on `{}` takes `{param}` as `&{view}`, not `{got}`",
                    expected.target
                );
                return Err(expected.fail(listener, &typed.ty, &what, &format!("write `&{view}`")));
            }
            continue;
        }
        let Ok(declared_ty) = syn::parse_str::<Type>(declared_ty) else {
            continue;
        };
        if mismatch(&declared_ty, &typed.ty) {
            let (want, got) = (type_text(&declared_ty), type_text(&typed.ty));
            let what = format!("\"{event}\" passes `{param}` as `{want}`, not `{got}`");
            return Err(expected.fail(listener, &typed.ty, &what, &format!("write `{want}`")));
        }
    }
    check_return(expected, listener)
}

fn check_return(expected: &Expected<'_>, listener: &ListenerSig) -> syn::Result<()> {
    let event = &expected.event.name;
    let written = match &listener.output {
        ReturnType::Type(_, ty) if !is_unit(ty) => Some(ty),
        _ => None,
    };
    let fail = |at: &dyn quote::ToTokens, what: String, help: String| {
        Err(expected.fail(listener, at, &what, &help))
    };
    match (expected.ret(), written) {
        ("", None) => Ok(()),
        ("", Some(ty)) if !expected.event.retval_ret.is_empty() => fail(
            ty,
            format!("a listener of \"{event}\" returns nothing unless it is `retval`"),
            format!(
                "add `retval` to use the returned value: \
                 `#[listens_for({}, \"{event}\", retval)]`",
                expected.target
            ),
        ),
        ("", Some(ty)) => fail(
            ty,
            format!("a listener of \"{event}\" returns nothing"),
            format!("remove `-> {}`", type_text(ty)),
        ),
        (ret, None) => fail(
            &listener.parens,
            format!("a listener of \"{event}\" returns `{ret}`"),
            format!("add `-> {ret}` after the parameters"),
        ),
        (ret, Some(ty)) => match syn::parse_str::<Type>(ret) {
            Ok(declared) if mismatch(&declared, ty) => fail(
                ty,
                format!(
                    "a listener of \"{event}\" returns `{ret}`, not `{}`",
                    type_text(ty)
                ),
                format!("write `-> {ret}`"),
            ),
            _ => Ok(()),
        },
    }
}

fn is_unit(ty: &Type) -> bool {
    matches!(ty, Type::Tuple(t) if t.elems.is_empty())
}

fn count(n: usize) -> String {
    match n {
        1 => "1 argument".to_owned(),
        n => format!("{n} arguments"),
    }
}

/// Whether `written` is certainly not `declared`; `false` when only rustc can tell.
fn mismatch(declared: &Type, written: &Type) -> bool {
    match (strip(declared), strip(written)) {
        (Type::Reference(d), Type::Reference(w)) => {
            d.mutability.is_some() != w.mutability.is_some() || mismatch(&d.elem, &w.elem)
        }
        (Type::Reference(r), v) | (v, Type::Reference(r)) => {
            same_name(&r.elem, v) || certainly_owned(v)
        }
        (Type::Tuple(d), Type::Tuple(w)) => d.elems.len() != w.elems.len(),
        (Type::Tuple(_), v) | (v, Type::Tuple(_)) => known_name(v).is_some(),
        (d, w) => matches!((known_name(d), known_name(w)), (Some(d), Some(w)) if d != w),
    }
}

/// `written` is the view's type for another class: `&Obj<Order>` where the view is
/// `Obj<User>` (told by the names; an alias is left to rustc, which refuses it too).
fn other_class(view: &str, written: &Type) -> bool {
    let (Ok(view), Type::Reference(written)) = (syn::parse_str::<Type>(view), strip(written))
    else {
        return false;
    };
    let class = |ty: &Type| match strip(ty) {
        Type::Path(p) => match &p.path.segments.last()?.arguments {
            syn::PathArguments::AngleBracketed(args) => match args.args.first()? {
                syn::GenericArgument::Type(class) => last_ident(class),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    };
    same_name(&view, &written.elem)
        && matches!((class(&view), class(&written.elem)), (Some(a), Some(b)) if a != b)
}

fn strip(ty: &Type) -> &Type {
    match ty {
        Type::Paren(p) => strip(&p.elem),
        Type::Group(g) => strip(&g.elem),
        other => other,
    }
}

/// `ty` is a value and not a reference in disguise: a std type or primitive, a tuple or an
/// array.
fn certainly_owned(ty: &Type) -> bool {
    matches!(ty, Type::Tuple(_) | Type::Array(_)) || known_name(ty).is_some()
}

/// Both name the same type, one of them borrowed (`Connection` against `&Connection`).
fn same_name(a: &Type, b: &Type) -> bool {
    last_ident(a).is_some() && last_ident(a) == last_ident(b)
}

fn last_ident(ty: &Type) -> Option<String> {
    match strip(ty) {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The name of a primitive or std type, which no one aliases to another type; two of them
/// that differ are different types (their generic arguments are left to rustc).
fn known_name(ty: &Type) -> Option<String> {
    const KNOWN: [&str; 22] = [
        "bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32",
        "i64", "i128", "isize", "f32", "f64", "String", "Vec", "Option", "Box", "Result",
    ];
    let name = last_ident(ty)?;
    KNOWN.contains(&name.as_str()).then_some(name)
}

impl Parse for ListenerSig {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let ident = input.parse()?;
        let parens: proc_macro2::Group = input.fork().parse()?;
        let content;
        syn::parenthesized!(content in input);
        let inputs = content
            .parse_terminated(FnArg::parse, syn::Token![,])?
            .into_iter()
            .collect();
        let output = input.parse()?;
        Ok(Self {
            ident,
            parens: quote::quote!(#parens),
            inputs,
            output,
        })
    }
}

/// The listener's part of the request, as `#[listens_for]` writes it.
pub(super) fn tokens(sig: &syn::Signature) -> TokenStream {
    let (ident, inputs, output) = (&sig.ident, &sig.inputs, &sig.output);
    // The parentheses keep their span: a wrong arity is reported on them.
    let mut parens =
        proc_macro2::Group::new(proc_macro2::Delimiter::Parenthesis, quote::quote!(#inputs));
    parens.set_span(sig.paren_token.span.join());
    quote::quote!(#ident #parens #output)
}

/// Whether the signature names a lifetime its generics do not declare: rustc's E0261 is then
/// the one error, and comparing the signature would only add a second one.
pub(super) fn has_undeclared_lifetime(sig: &syn::Signature) -> bool {
    struct Find<'a> {
        declared: Vec<&'a syn::Lifetime>,
        undeclared: bool,
    }
    impl<'a> syn::visit::Visit<'a> for Find<'a> {
        fn visit_lifetime(&mut self, l: &'a syn::Lifetime) {
            let special = l.ident == "static" || l.ident == "_";
            if !special && !self.declared.contains(&l) {
                self.undeclared = true;
            }
        }
    }
    let mut find = Find {
        declared: sig.generics.lifetimes().map(|l| &l.lifetime).collect(),
        undeclared: false,
    };
    for input in &sig.inputs {
        syn::visit::Visit::visit_fn_arg(&mut find, input);
    }
    syn::visit::Visit::visit_return_type(&mut find, &sig.output);
    find.undeclared
}
