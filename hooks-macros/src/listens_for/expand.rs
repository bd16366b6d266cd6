//! `listens_for_impl!`: with the target's whole event table in hand, checks the event name and
//! the modifiers, and registers the listener in the link-time slice.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use std::fmt::Write as _;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Path, braced, bracketed};

use super::signature::{self, Expected, ListenerSig};
use crate::descriptor::{EventDesc, FamilyDesc};
use crate::events::forms::Form;
use hooks_runtime::Contract;

/// The target table's part: the target's name and its families.
pub(super) struct Table {
    pub(super) name: LitStr,
    /// The path of the `hooks` crate the target's table passes on.
    krate: TokenStream,
    pub(super) families: Vec<FamilyDesc>,
    /// Families the target does not accept, named by `related(…)`.
    pub(super) related: Vec<FamilyDesc>,
    /// The target's typed view of `#[target]` arguments (`view = Type`), as text.
    pub(super) view: Option<String>,
}

/// The listener's part, as `#[listens_for]` wrote it.
pub(super) struct Request {
    pub(super) target: Path,
    /// `crate = path` on the attribute, or nothing.
    krate: TokenStream,
    pub(super) event: LitStr,
    modifiers: Vec<Ident>,
    listener: ListenerSig,
}

impl Parse for Table {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let content;
        braced!(content in input);
        let name = content.parse()?;
        let krate_content;
        braced!(krate_content in content);
        let krate = krate_content.parse()?;
        let families = descriptors(&content)?;
        let related = descriptors(&content)?;
        // A family's own table (`listens_for_impl!` on a family) has no view.
        let view = content.parse::<Option<LitStr>>()?.map(|v| v.value());
        Ok(Self {
            name,
            krate,
            families,
            related,
            view: view.filter(|v| !v.is_empty()),
        })
    }
}

/// `[descriptor…]`.
fn descriptors(input: ParseStream<'_>) -> syn::Result<Vec<FamilyDesc>> {
    let list;
    bracketed!(list in input);
    let mut out = Vec::new();
    while !list.is_empty() {
        out.push(list.parse()?);
    }
    Ok(out)
}

impl Parse for Request {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let target_content;
        braced!(target_content in input);
        let target = target_content.parse()?;
        let krate_content;
        braced!(krate_content in input);
        let krate = krate_content.parse()?;
        let event = input.parse()?;
        let mods;
        bracketed!(mods in input);
        let mut modifiers = Vec::new();
        while !mods.is_empty() {
            modifiers.push(mods.parse()?);
        }
        let listener = input.parse()?;
        Ok(Self {
            target,
            krate,
            event,
            modifiers,
            listener,
        })
    }
}

/// `listens_for_impl! { {table} {target} "event" [modifiers] listener }`, or with
/// `{family "Name" [targets]}` for the table when a family's table was called.
pub(crate) fn listens_for_impl(input: TokenStream) -> TokenStream {
    let member = syn::parse::Parser::parse2(
        |input: ParseStream<'_>| {
            let member = super::misuse::UnknownMember::parse_if_any(input)?;
            input.parse::<TokenStream>()?;
            Ok(member)
        },
        input.clone(),
    );
    if let Ok(Some(member)) = member {
        return member.error().to_compile_error();
    }
    let parsed = syn::parse::Parser::parse2(
        |input: ParseStream<'_>| {
            let family = super::misuse::FamilyAsTarget::parse_if_any(input)?;
            let table = match family {
                Some(family) => Err(family),
                None => Ok(input.parse::<Table>()?),
            };
            Ok((table, input.parse::<Request>()?))
        },
        input,
    );
    let expanded = parsed.and_then(|(table, request)| match table {
        Ok(table) => expand(&table, &request),
        Err(family) => Err(family.error(&request.target)),
    });
    match expanded {
        Ok(tokens) => tokens,
        Err(e) => e.to_compile_error(),
    }
}

struct Found<'a> {
    family_index: usize,
    event_index: usize,
    family: &'a FamilyDesc,
    event: &'a EventDesc,
}

fn find<'a>(table: &'a Table, request: &Request) -> syn::Result<Found<'a>> {
    let wanted = request.event.value();
    let (family_filter, name) = match wanted.split_once('.') {
        Some((family, name)) => (Some(family), name),
        None => (None, wanted.as_str()),
    };
    if let Some(family) = family_filter
        && !table.families.iter().any(|f| f.name == family)
    {
        return Err(
            super::misuse::event_elsewhere(table, request, Some(family), name)
                .unwrap_or_else(|| unknown_family(table, request, family)),
        );
    }
    let matches: Vec<Found<'a>> = table
        .families
        .iter()
        .enumerate()
        .filter(|(_, f)| family_filter.is_none_or(|wanted| wanted == f.name))
        .flat_map(|(family_index, family)| {
            family
                .events
                .iter()
                .enumerate()
                .filter(|(_, e)| e.name == name)
                .map(move |(event_index, event)| Found {
                    family_index,
                    event_index,
                    family,
                    event,
                })
        })
        .collect();
    let target = table.name.value();
    let mut matches = matches.into_iter();
    match (matches.next(), matches.next()) {
        (Some(found), None) => Ok(found),
        (Some(first), Some(second)) => Err(syn::Error::new(
            request.event.span(),
            format!(
                "event \"{name}\" of `{target}` is declared by both `{0}` and `{1}`\n\
                 help: name its family: \"{0}.{name}\" or \"{1}.{name}\"",
                first.family.name, second.family.name
            ),
        )),
        (None, _) => Err(
            super::misuse::event_elsewhere(table, request, family_filter, name)
                .unwrap_or_else(|| unknown_event(table, request, family_filter, name)),
        ),
    }
}

/// "note: `Engine` accepts" and a paragraph per family, wrapped: the families are named so
/// that an event of a family the target does not accept reads as such.
pub(super) fn accepted_events(table: &Table) -> String {
    let mut note = format!("note: `{}` accepts", table.name.value());
    let paragraphs: Vec<String> = table
        .families
        .iter()
        .map(|f| {
            let events: Vec<&str> = f.events.iter().map(|e| e.name.as_str()).collect();
            format!("`{}`: {}", f.name, events.join(", "))
        })
        .collect();
    match paragraphs.as_slice() {
        [one] if note.len() + one.len() < 90 => {
            note.push(' ');
            note.push_str(one);
        }
        _ => paragraphs.iter().for_each(|p| note.push_str(&wrap(p, 90))),
    }
    note
}

/// `text` as lines of at most about `width` characters, broken after commas; each line starts
/// with a newline and an indent, the continuations with a deeper one.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::from("\n  ");
    let mut line = 0;
    for word in text.split_inclusive(", ") {
        if line > 0 && line + word.len() > width {
            out.push_str("\n      ");
            line = 4;
        }
        out.push_str(word.trim_end_matches(' '));
        out.push(' ');
        line += word.len();
    }
    out.truncate(out.trim_end().len());
    out
}

fn unknown_event(table: &Table, request: &Request, family: Option<&str>, name: &str) -> syn::Error {
    let target = table.name.value();
    let names: Vec<&str> = table
        .families
        .iter()
        .filter(|f| family.is_none_or(|wanted| wanted == f.name))
        .flat_map(|f| f.events.iter().map(|e| e.name.as_str()))
        .collect();
    let mut message = match family {
        Some(family) => format!("`{family}` has no event named \"{name}\""),
        None => format!("`{target}` has no event named \"{name}\""),
    };
    let elsewhere = family.and_then(|_| {
        table
            .families
            .iter()
            .find(|f| f.events.iter().any(|e| e.name == name))
    });
    if let Some(other) = elsewhere {
        let _ = write!(message, "\nhelp: did you mean \"{}.{name}\"?", other.name);
    } else if let Some(suggestion) = name
        .strip_prefix("on_")
        .filter(|bare| names.contains(bare))
        .or_else(|| crate::text::closest(name, names.iter().copied()))
    {
        let qualified =
            family.map_or_else(|| suggestion.to_owned(), |f| format!("{f}.{suggestion}"));
        let _ = write!(message, "\nhelp: did you mean \"{qualified}\"?");
    }
    message.push('\n');
    message.push_str(&accepted_events(table));
    syn::Error::new(request.event.span(), message)
}

fn unknown_family(table: &Table, request: &Request, family: &str) -> syn::Error {
    let target = table.name.value();
    let mut message = format!("`{target}` does not accept the events of `{family}`");
    let names = table.families.iter().map(|f| f.name.as_str());
    if let Some(suggestion) = crate::text::closest(family, names) {
        let _ = write!(message, "\nhelp: did you mean `{suggestion}`?");
    }
    message.push('\n');
    message.push_str(&accepted_events(table));
    syn::Error::new(request.event.span(), message)
}

const CORE: [&str; 5] = ["retval", "insert", "once", "named", "propagate"];

fn check_modifiers(table: &Table, request: &Request, found: &Found<'_>) -> syn::Result<()> {
    let mut errors = crate::common::Errors::default();
    let event = found.event;
    for modifier in &request.modifiers {
        let name = modifier.to_string();
        if !event.accepts(&name) {
            errors.add(modifier.span(), refused_modifier(table, found, &name));
        }
    }
    errors.finish()
}

/// Why `name` cannot be used on this event, and what can.
fn refused_modifier(table: &Table, found: &Found<'_>, name: &str) -> String {
    let event = found.event;
    let known = CORE.contains(&name)
        || table
            .families
            .iter()
            .any(|f| f.events.iter().any(|e| e.accepts(name)));
    let mut message = if known {
        format!(
            "event \"{}\" of `{}` does not accept the `{name}` modifier",
            event.name, found.family.name
        )
    } else {
        format!("unknown modifier `{name}`")
    };
    match name {
        "retval" => {
            let _ = write!(
                message,
                "\nhelp: `retval` applies to events declared `#[event(retval)]`, whose \
                 listeners may replace a value; {}",
                match event.contract {
                    Contract::None => format!("\"{}\" returns nothing", event.name),
                    other => format!("\"{}\" is a `{}` event", event.name, other.name()),
                }
            );
        }
        "propagate" => {
            let _ = write!(
                message,
                "\nhelp: `propagate` applies to families declared \
                 `#[hooks::events(propagate)]`, and `{}` is not",
                found.family.name
            );
        }
        "raw" if !known => {
            let _ = write!(
                message,
                "\nhelp: remove `raw`: SQLAlchemy's `raw` passes a listener the object's state \
                 instead of the object; here the listener takes the object itself, which gives \
                 its state (`hooks-orm`: `target.inspect()` on a `&Obj<User>`)"
            );
        }
        _ if !known => {
            let candidates = CORE
                .iter()
                .copied()
                .chain(event.modifiers.iter().map(String::as_str));
            if let Some(suggestion) = crate::text::closest(name, candidates) {
                let _ = write!(message, "\nhelp: did you mean `{suggestion}`?");
            }
        }
        _ => {}
    }
    let accepted: Vec<String> = event.modifiers.iter().map(|m| format!("`{m}`")).collect();
    let _ = write!(
        message,
        "\nnote: \"{}\" accepts {}",
        event.name,
        accepted.join(", ")
    );
    message
}

/// The listener's signature against the event's (`named` listeners take one struct, left to
/// rustc).
fn check_signature(table: &Table, request: &Request, found: &Found<'_>) -> syn::Result<()> {
    let has = |wanted: &str| request.modifiers.iter().any(|m| m == wanted);
    if has("named") {
        return Ok(());
    }
    let expected = Expected {
        event: found.event,
        family: &found.family.name,
        target: &table.name.value(),
        retval: has("retval"),
        view: viewed_param(table, request, found).and(table.view.as_deref()),
    };
    signature::check(&expected, &request.listener)
}

/// The registration is a named `const`, not `const _`: that is valid among an `impl`'s items
/// too, so that the attribute on an associated fn is the one error of its body not finding the
/// listener by its bare name (an associated fn cannot be a static listener). The name is
/// unique per listener, target and event.
fn registration_name(request: &Request, found: &Found<'_>) -> Ident {
    let target = request.target.segments.iter().map(|s| s.ident.to_string());
    quote::format_ident!(
        "__hooks_listener_{}_{}_{}_{}",
        request.listener.ident,
        target.collect::<Vec<_>>().join("_"),
        found.family_index,
        found.event_index
    )
}

/// The index of the argument the listener takes as the target's view: the event's `#[target]`
/// one, when the target has a view (`view = Type`) and the listener takes positional arguments.
fn viewed_param(table: &Table, request: &Request, found: &Found<'_>) -> Option<usize> {
    let named = request.modifiers.iter().any(|m| m == "named");
    (table.view.is_some() && !named)
        .then_some(found.event.target_param)
        .flatten()
}

/// The listener as the event's fn pointer. The coercion of the fn to that type is the
/// signature check; spanned on the fn's name, a mismatch reads "expected fn pointer `fn(..)`,
/// found fn item". An event with a `#[target]` argument gets a closure that passes the others
/// on and that one through `FromTarget`, so the listener may take it as its class's view:
/// rustc then checks the type written, against the class, on that type.
fn const_fn(
    table: &Table,
    request: &Request,
    found: &Found<'_>,
    h: &TokenStream,
    form: &TokenStream,
) -> TokenStream {
    let listener = &request.listener.ident;
    let fn_type = quote!(<__HooksEvent as #h::Listens<#form>>::Fn);
    let Some(index) = viewed_param(table, request, found) else {
        return quote_spanned! {listener.span()=> const F: #fn_type = #listener; };
    };
    let target = &request.target;
    let args: Vec<Ident> = (0..request.listener.inputs.len())
        .map(|i| quote::format_ident!("__hooks_arg{i}"))
        .collect();
    let passed = args.iter().zip(&request.listener.inputs).enumerate();
    let passed = passed.map(|(i, (arg, input))| match input {
        // The view's type is the parameter's, inferred; the call is spanned from the type's
        // first token to its last, so rustc's unmet bound underlines all of it.
        syn::FnArg::Typed(typed) if i == index => {
            let (first, last) = first_last_spans(&typed.ty);
            let open = quote_spanned!(first=> <);
            quote_spanned! {last=>
                #open _ as #h::FromTarget<'_, _, #target>>::from_target(#arg)
            }
        }
        _ => quote!(#arg),
    });
    quote_spanned! {listener.span()=>
        const F: #fn_type = |#(#args),*| #listener(#(#passed),*);
    }
}

/// The spans of the first and last tokens of `ty` (on stable a span cannot be joined).
fn first_last_spans(ty: &syn::Type) -> (proc_macro2::Span, proc_macro2::Span) {
    let tokens = quote::ToTokens::to_token_stream(ty);
    let mut spans = tokens.into_iter().map(|token| token.span());
    let first = spans.next().unwrap_or_else(proc_macro2::Span::call_site);
    (first, spans.last().unwrap_or(first))
}

fn expand(table: &Table, request: &Request) -> syn::Result<TokenStream> {
    let found = find(table, request)?;
    check_modifiers(table, request, &found)?;
    let has = |wanted: &str| request.modifiers.iter().any(|m| m == wanted);
    check_signature(table, request, &found)?;
    let krate = if request.krate.is_empty() {
        &table.krate
    } else {
        &request.krate
    };
    let h = quote!(#krate::__private);
    let target = &request.target;
    let listener = &request.listener.ident;
    let form = Form::of(has("named"), has("retval")).path(&h);
    let (family_index, event_index) = (found.family_index, found.event_index);
    // A target declared under another name (`name = "User::phone"`, a member's) is listed by it.
    let declared_elsewhere = target
        .segments
        .last()
        .is_some_and(|s| s.ident != table.name.value());
    let target_name = if declared_elsewhere {
        table.name.value()
    } else {
        crate::common::tidy(&quote!(#target).to_string())
    };
    let event_name = &found.event.name;
    let family_name = &found.family.name;
    let listener_name = listener.to_string();
    let modifier_names = request.modifiers.iter().map(ToString::to_string);
    let registration = registration_name(request, &found);
    let check = const_fn(table, request, &found, &h, &form);
    // Naming the event through the projections below never triggers the `deprecated` lint, so a
    // deprecated event is named once more, through its marker's deprecated const, spanned on
    // the user's literal: the warning points at `"event"` and carries the family's note.
    let deprecation = found.event.deprecated.then(|| {
        quote_spanned! {request.event.span()=>
            let _ = <__HooksEvent>::EVENT;
        }
    });
    Ok(quote! {
        #[doc(hidden)]
        #[allow(dead_code, non_upper_case_globals)]
        const #registration: () = {
            type __HooksFamily = <#target as #h::TargetFamily<#family_index>>::Family;
            type __HooksEvent = <__HooksFamily as #h::EventAt<#event_index>>::Event;
            struct __HooksListener;
            impl #h::ConstFn<<__HooksEvent as #h::Listens<#form>>::Fn> for __HooksListener {
                #check
            }
            #[#h::linkme::distributed_slice(#h::STATIC_LISTENERS)]
            #[linkme(crate = #h::linkme)]
            static __HOOKS_STATIC_LISTENER: #h::StaticListener = #h::StaticListener {
                target: #target_name,
                event: #event_name,
                family: #family_name,
                listener: #listener_name,
                module_path: ::core::module_path!(),
                file: ::core::file!(),
                line: ::core::line!(),
                column: ::core::column!(),
                modifier_names: &[#(#modifier_names),*],
                install: #h::install::<#target, __HooksEvent, #form, __HooksListener>,
                key: #h::key_of_val(&#listener),
            };
            #deprecation
        };
    })
}
