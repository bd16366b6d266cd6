//! Parsing `#[hooks::target(Family(events = field, join = expr), Other(via = Type, resolve = expr))]`.

use proc_macro2::TokenStream;
use std::fmt::Write as _;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Expr, Path, Token, Type};

use crate::common::{CratePath, Errors};

/// How a target handles one family.
pub(crate) enum Resolution {
    /// It holds the listeners itself, in the field `events`, and may join a parent.
    Direct {
        events: TokenStream,
        join: Option<Expr>,
    },
    /// It resolves to another target of type `ty`, the instance given by `expr`.
    Via { ty: Box<Type>, expr: Expr },
    /// It takes listeners at class level only (`class_only`): its values hold none.
    ClassOnly,
}

pub(crate) struct FamilySpec {
    pub(crate) family: Path,
    pub(crate) resolution: Resolution,
}

struct RawSpec {
    family: Path,
    options: Vec<(syn::Ident, TokenStream)>,
}

/// One argument of `#[hooks::target(...)]`: a family, `related(…)` or `crate = path`.
enum RawArg {
    Family(RawSpec),
    /// Families the target does not accept, whose events a user may still try on it.
    Related(Vec<Path>),
    Crate(Path),
    /// `view = Type`: how a static listener on this type may take an event's `#[target]`
    /// argument (a host's typed view, `hooks::FromTarget`).
    View(Type),
    /// `members(phone = UserPhone, email, …)`: the target's members (`#[listens_for(User::phone,
    /// …)]`), each a target of its own type, declared in the same module; a member without a
    /// type exists but takes no listeners of its own (`member_help` says how to make it).
    Members(Vec<(syn::Ident, Option<syn::Ident>)>),
    /// `member_help = "…"`: the fix the error on a member without a type gives.
    MemberHelp(syn::LitStr),
    /// `name = "User::phone"`: how errors and the audit name the target, when not by its type.
    Name(syn::LitStr),
}

impl Parse for RawArg {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(Token![crate]) && input.peek2(Token![=]) {
            input.parse::<Token![crate]>()?;
            input.parse::<Token![=]>()?;
            return Ok(Self::Crate(input.parse()?));
        }
        if input.peek(syn::Ident) && input.peek2(Token![=]) {
            let fork = input.fork();
            let key = fork.parse::<syn::Ident>()?;
            if key == "view" || key == "name" || key == "member_help" {
                input.parse::<syn::Ident>()?;
                input.parse::<Token![=]>()?;
                return if key == "view" {
                    Ok(Self::View(input.parse()?))
                } else if key == "name" {
                    Ok(Self::Name(input.parse()?))
                } else {
                    Ok(Self::MemberHelp(input.parse()?))
                };
            }
        }
        if input.peek(syn::Ident) && input.peek2(syn::token::Paren) {
            let fork = input.fork();
            if fork.parse::<syn::Ident>()? == "members" {
                input.parse::<syn::Ident>()?;
                let content;
                syn::parenthesized!(content in input);
                let member = |input: ParseStream<'_>| {
                    let name: syn::Ident = input.parse()?;
                    if input.parse::<Option<Token![=]>>()?.is_none() {
                        return Ok((name, None));
                    }
                    Ok((name, Some(input.parse()?)))
                };
                let list = Punctuated::<_, Token![,]>::parse_terminated_with(&content, member)?;
                return Ok(Self::Members(list.into_iter().collect()));
            }
        }
        if input.peek(syn::Ident) && input.peek2(syn::token::Paren) {
            let fork = input.fork();
            if fork.parse::<syn::Ident>()? == "related" {
                input.parse::<syn::Ident>()?;
                let content;
                syn::parenthesized!(content in input);
                let list = Punctuated::<Path, Token![,]>::parse_terminated(&content)?;
                return Ok(Self::Related(list.into_iter().collect()));
            }
        }
        input.parse().map(Self::Family)
    }
}

impl Parse for RawSpec {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let family: Path = input.parse()?;
        let mut options = Vec::new();
        if input.peek(syn::token::Paren) {
            let content;
            syn::parenthesized!(content in input);
            while !content.is_empty() {
                let key: syn::Ident = content.parse()?;
                let mut value = TokenStream::new();
                if key == "class_only" {
                    // A flag: no value.
                    options.push((key, value));
                    if content.peek(Token![,]) {
                        content.parse::<Token![,]>()?;
                    }
                    continue;
                }
                content.parse::<Token![=]>()?;
                while !content.is_empty() && !content.peek(Token![,]) {
                    value.extend([content.parse::<proc_macro2::TokenTree>()?]);
                }
                if content.peek(Token![,]) {
                    content.parse::<Token![,]>()?;
                }
                options.push((key, value));
            }
        }
        Ok(Self { family, options })
    }
}

const HELP: &str = "expected `Family(events = field)`, optionally with `join = expr`, \
                    `Family(via = Type, resolve = expr)`, or `Family(class_only)`";

/// The families of the target; the valid ones come back along with the errors, so that the
/// target is still expanded as far as it can be.
pub(crate) fn parse(args: TokenStream, item: &syn::DeriveInput) -> (Parsed, syn::Result<()>) {
    let mut errors = Errors::default();
    if !item.generics.params.is_empty() {
        errors.push(syn::Error::new_spanned(
            &item.generics,
            "an event target cannot be generic",
        ));
    }
    let parser = Punctuated::<RawArg, Token![,]>::parse_terminated;
    let args = match syn::parse::Parser::parse2(parser, args) {
        Ok(args) => args,
        Err(e) => {
            errors.push(e);
            let parsed = Parsed {
                specs: Vec::new(),
                rejected: Vec::new(),
                related: Vec::new(),
                krate: CratePath::default(),
                view: None,
                members: Vec::new(),
                member_help: None,
                name: None,
            };
            return (parsed, errors.finish());
        }
    };
    let mut krate = CratePath::default();
    let mut raw = Vec::new();
    let mut related = Vec::new();
    let (mut view, mut members, mut name, mut member_help) = (None, Vec::new(), None, None);
    for arg in args {
        match arg {
            RawArg::Family(spec) => raw.push(spec),
            RawArg::Related(paths) => related.extend(paths),
            RawArg::Crate(path) => krate = CratePath::from_path(&path),
            RawArg::View(ty) => view = Some(ty),
            RawArg::Members(list) => members.extend(list),
            RawArg::Name(lit) => name = Some(lit),
            RawArg::MemberHelp(lit) => member_help = Some(lit),
        }
    }
    if raw.is_empty() {
        errors.add(
            proc_macro2::Span::call_site(),
            format!("name the families this target accepts: {HELP}"),
        );
    }
    let mut specs = Vec::new();
    let mut rejected = Vec::new();
    for spec in raw {
        let family = spec.family.clone();
        match resolve(spec, &mut errors) {
            Some(spec) => specs.push(spec),
            None => rejected.push(family),
        }
    }
    let parsed = Parsed {
        specs,
        rejected,
        related,
        krate,
        view,
        members,
        member_help,
        name,
    };
    (parsed, errors.finish())
}

/// What the arguments declare, as far as they are valid.
pub(crate) struct Parsed {
    pub(crate) specs: Vec<FamilySpec>,
    /// The families whose options are in error.
    pub(crate) rejected: Vec<Path>,
    /// `related(…)`: families the target does not accept, read for better errors only.
    pub(crate) related: Vec<Path>,
    /// The path of the `hooks` crate (`crate = path`).
    pub(crate) krate: CratePath,
    /// `view = Type`: the typed view of the events' `#[target]` arguments.
    pub(crate) view: Option<Type>,
    /// `members(name = Type, other, …)`: `None` for a member that takes no listeners.
    pub(crate) members: Vec<(syn::Ident, Option<syn::Ident>)>,
    /// `member_help = "…"`.
    pub(crate) member_help: Option<syn::LitStr>,
    /// `name = "…"`: the target's name in errors and in the audit.
    pub(crate) name: Option<syn::LitStr>,
}

fn resolve(spec: RawSpec, errors: &mut Errors) -> Option<FamilySpec> {
    let before = errors.count();
    let options = SpecOptions::collect(spec.options, errors);
    if errors.count() > before {
        // The options in error were reported; the shape would be reported again as missing.
        return None;
    }
    if let Some(flag) = &options.class_only {
        return class_only_spec(spec.family, flag, options.only_class_only(), errors);
    }
    match options.resolution(&spec.family) {
        Ok(resolution) => Some(FamilySpec {
            family: spec.family,
            resolution,
        }),
        Err(error) => {
            errors.push(error);
            None
        }
    }
}

/// The options of one family on `#[hooks::target(Family(options…))]`, each parsed.
#[derive(Default)]
struct SpecOptions {
    events: Option<TokenStream>,
    join: Option<Expr>,
    via: Option<Type>,
    resolve: Option<Expr>,
    /// `class_only`, kept by its token for the error when other options come with it.
    class_only: Option<syn::Ident>,
}

impl SpecOptions {
    fn collect(options: Vec<(syn::Ident, TokenStream)>, errors: &mut Errors) -> Self {
        let mut out = Self::default();
        for (key, value) in options {
            match key.to_string().as_str() {
                "class_only" => out.class_only = Some(key),
                "events" => out.events = Some(value),
                "join" => out.join = parse_or(value, errors),
                "via" => out.via = parse_or(value, errors),
                "resolve" => out.resolve = parse_or(value, errors),
                _ => errors.add(key.span(), unknown_option(&key)),
            }
        }
        out
    }

    /// Whether `class_only` came without any other option.
    fn only_class_only(&self) -> bool {
        self.events.is_none() && self.via.is_none() && self.resolve.is_none() && self.join.is_none()
    }

    /// Where the listeners live: in a field, or in another target; anything else says which
    /// of the two shapes to write.
    fn resolution(self, path: &Path) -> syn::Result<Resolution> {
        let family = crate::common::tidy(&quote::quote!(#path).to_string());
        let message = match (self.events, self.via, self.resolve) {
            (Some(events), None, None) => {
                return Ok(Resolution::Direct {
                    events,
                    join: self.join,
                });
            }
            (None, Some(ty), Some(expr)) if self.join.is_none() => {
                return Ok(Resolution::Via {
                    ty: Box::new(ty),
                    expr,
                });
            }
            (None, None, None) => format!(
                "say where this target keeps the listeners of `{family}`: \
                 `{family}(events = field)`, or `{family}(via = Type, resolve = expr)` to \
                 use another target's"
            ),
            (Some(_), _, _) => format!(
                "`{family}` has its listeners either in a field (`events = field`) or in \
                 another target (`via = Type, resolve = expr`), not both"
            ),
            (None, Some(_), None) => format!(
                "`{family}(via = Type)` also needs `resolve = expr`: the instance of `Type` \
                 that holds the listeners"
            ),
            (None, None, Some(_)) => format!(
                "`{family}(resolve = expr)` also needs `via = Type`: the type `expr` returns"
            ),
            (None, Some(_), Some(_)) => format!(
                "`join` applies to a target holding its listeners (`{family}(events = field, \
                 join = expr)`), not to one resolving via another"
            ),
        };
        Err(syn::Error::new_spanned(path, message))
    }
}

/// `Family(class_only)`, which takes no other option.
fn class_only_spec(
    family: Path,
    flag: &syn::Ident,
    alone: bool,
    errors: &mut Errors,
) -> Option<FamilySpec> {
    if !alone {
        let name = crate::common::tidy(&quote::quote!(#family).to_string());
        errors.add(
            flag.span(),
            format!(
                "`{name}(class_only)` takes no other option: a class-only target keeps no \
                 listeners in its values"
            ),
        );
        return None;
    }
    Some(FamilySpec {
        family,
        resolution: Resolution::ClassOnly,
    })
}

const OPTIONS: [&str; 5] = ["events", "join", "via", "resolve", "class_only"];

fn unknown_option(key: &syn::Ident) -> String {
    let name = key.to_string();
    let mut message = format!("unknown target option `{name}`");
    if let Some(suggestion) = crate::text::closest(&name, OPTIONS) {
        let _ = write!(message, "\nhelp: did you mean `{suggestion}`?");
    }
    let _ = write!(message, "\nnote: {HELP}");
    message
}

fn parse_or<T: Parse>(tokens: TokenStream, errors: &mut Errors) -> Option<T> {
    syn::parse2(tokens).map_err(|e| errors.push(e)).ok()
}
