//! `listens_for_impl!`: with the target's whole event table in hand, checks the event name and
//! the modifiers, and registers the listener in the link-time slice.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Path, braced, bracketed};

use crate::descriptor::{EventDesc, FamilyDesc};

/// The target table's part: the target's name and its families.
struct Table {
    name: LitStr,
    families: Vec<FamilyDesc>,
}

/// The listener's part, as `#[listens_for]` wrote it.
struct Request {
    target: Path,
    event: LitStr,
    modifiers: Vec<Ident>,
    listener: Ident,
}

impl Parse for Table {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let content;
        braced!(content in input);
        let name = content.parse()?;
        let list;
        bracketed!(list in content);
        let mut families = Vec::new();
        while !list.is_empty() {
            families.push(list.parse()?);
        }
        Ok(Self { name, families })
    }
}

impl Parse for Request {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let target_content;
        braced!(target_content in input);
        let target = target_content.parse()?;
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
            event,
            modifiers,
            listener,
        })
    }
}

/// `listens_for_impl! { {table} {target} "event" [modifiers] listener }`.
pub(crate) fn listens_for_impl(input: TokenStream) -> TokenStream {
    let parsed = syn::parse::Parser::parse2(
        |input: ParseStream<'_>| Ok((input.parse::<Table>()?, input.parse::<Request>()?)),
        input,
    );
    match parsed.and_then(|(table, request)| expand(&table, &request)) {
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
        Some((family, name)) => (Some(family.to_owned()), name.to_owned()),
        None => (None, wanted.clone()),
    };
    let matches: Vec<Found<'a>> = table
        .families
        .iter()
        .enumerate()
        .filter(|(_, f)| family_filter.as_deref().is_none_or(|wanted| wanted == f.name))
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
                 help: qualify it: \"{0}.{name}\"",
                first.family.name, second.family.name
            ),
        )),
        (None, _) => Err(unknown_event(table, request, &wanted)),
    }
}

fn unknown_event(table: &Table, request: &Request, wanted: &str) -> syn::Error {
    let target = table.name.value();
    let names: Vec<&str> = table
        .families
        .iter()
        .flat_map(|f| f.events.iter().map(|e| e.name.as_str()))
        .collect();
    let mut message = format!("`{target}` has no event named \"{wanted}\"");
    if let Some(suggestion) = crate::suggest::closest(wanted, names.iter().copied()) {
        message.push_str(&format!("\nhelp: did you mean \"{suggestion}\"?"));
    }
    message.push_str(&format!(
        "\nnote: the events of `{target}` are: {}",
        names.join(", ")
    ));
    syn::Error::new(request.event.span(), message)
}

const CORE: [&str; 5] = ["retval", "insert", "once", "named", "propagate"];

fn check_modifiers(table: &Table, request: &Request, found: &Found<'_>) -> syn::Result<()> {
    let mut errors = crate::common::Errors::default();
    let event = found.event;
    let accepted = event
        .modifiers
        .iter()
        .map(|m| format!("`{m}`"))
        .collect::<Vec<_>>()
        .join(", ");
    for modifier in &request.modifiers {
        let name = modifier.to_string();
        if event.accepts(&name) {
            continue;
        }
        let known = CORE.contains(&name.as_str())
            || table
                .families
                .iter()
                .any(|f| f.events.iter().any(|e| e.accepts(&name)));
        let mut message = if known {
            format!(
                "event \"{}\" of `{}` does not accept the `{name}` modifier",
                event.name, found.family.name
            )
        } else {
            format!("unknown modifier `{name}`")
        };
        if name == "retval" {
            message.push_str(&format!(
                "\nhelp: `retval` applies to events whose listeners may replace a value; \
                 \"{}\" is a `{}` event",
                event.name, event.contract
            ));
        }
        message.push_str(&format!("\nnote: \"{}\" accepts: {accepted}", event.name));
        errors.add(modifier.span(), message);
    }
    errors.finish()
}

fn expand(table: &Table, request: &Request) -> syn::Result<TokenStream> {
    let found = find(table, request)?;
    check_modifiers(table, request, &found)?;
    let h = quote!(::hooks::__private);
    let Request {
        target, listener, ..
    } = request;
    let named = request.modifiers.iter().any(|m| m == "named");
    let retval = request.modifiers.iter().any(|m| m == "retval");
    let (fn_type, installer) = match (named, retval) {
        (false, false) => (quote!(PlainFn), quote!(install_plain)),
        (false, true) => (quote!(RetvalFn), quote!(install_retval)),
        (true, false) => (quote!(NamedFn), quote!(install_named)),
        (true, true) => (quote!(NamedRetvalFn), quote!(install_named_retval)),
    };
    let (family_index, event_index) = (found.family_index, found.event_index);
    let target_name = crate::common::tidy(&quote!(#target).to_string());
    let event_name = &found.event.name;
    let family_name = &found.family.name;
    let listener_name = listener.to_string();
    let modifier_names = request.modifiers.iter().map(ToString::to_string);
    // The coercion of the fn to the event's fn-pointer type is the signature check; spanned on
    // the fn's name, a mismatch reads "expected fn pointer `fn(..)`, found fn item".
    let check = quote_spanned! {listener.span()=>
        const F: <__HooksEvent as #h::Event>::#fn_type = #listener;
    };
    Ok(quote! {
        const _: () = {
            type __HooksFamily = <#target as #h::TargetFamily<#family_index>>::Family;
            type __HooksEvent = <__HooksFamily as #h::EventAt<#event_index>>::Event;
            struct __HooksListener;
            impl #h::ConstFn<<__HooksEvent as #h::Event>::#fn_type> for __HooksListener {
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
                install: #h::#installer::<#target, __HooksEvent, __HooksListener>,
                key: || #h::type_id_of_val(&#listener),
            };
        };
    })
}
