//! Targets that are not targets, caught before a table is read: a family named where its target
//! belongs.

use std::fmt::Write as _;
use syn::parse::ParseStream;
use syn::{Ident, LitStr, Path, braced};

/// `{family "PoolEvents" ["Pool" "Engine"]}`: what a family's table passes on when a listener
/// names the family as its target.
pub(super) struct FamilyAsTarget {
    name: String,
    targets: Vec<String>,
}

impl FamilyAsTarget {
    /// Parses the table group if it is a family's, and leaves the input untouched otherwise.
    pub(super) fn parse_if_any(input: ParseStream<'_>) -> syn::Result<Option<Self>> {
        let fork = input.fork();
        let content;
        braced!(content in fork);
        if !content.peek(Ident) || content.parse::<Ident>()? != "family" {
            return Ok(None);
        }
        let name = content.parse::<LitStr>()?.value();
        let list;
        syn::bracketed!(list in content);
        let mut targets = Vec::new();
        while !list.is_empty() {
            targets.push(list.parse::<LitStr>()?.value());
        }
        syn::parse::discouraged::Speculative::advance_to(input, &fork);
        Ok(Some(Self { name, targets }))
    }

    /// The error on the user's target.
    pub(super) fn error(&self, target: &Path) -> syn::Error {
        let name = &self.name;
        let help = match self.targets.as_slice() {
            [] => format!("name a type declared `#[hooks::target({name}(…))]`"),
            [one] => format!("listen on `{one}`"),
            [init @ .., last] => format!(
                "listen on {} or `{last}`",
                init.iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        syn::Error::new_spanned(
            target,
            format!(
                "`{name}` is an event family, not a target: a listener names the type whose \
                 events it hears\nhelp: {help}, e.g. `#[listens_for({}, \"event\")]`",
                self.targets.first().map_or("Target", String::as_str)
            ),
        )
    }
}

/// `{member "User" [id name phone] [id name] "help" phne}`: what a target's table passes on
/// for a member it does not have (all its members listed), or has without listeners of its
/// own (the second list, with the fix).
pub(super) struct UnknownMember {
    owner: String,
    members: Vec<Ident>,
    closed: Vec<Ident>,
    help: String,
    member: Ident,
}

impl UnknownMember {
    /// Parses the table group if it is an unknown member's, leaving the input untouched
    /// otherwise.
    pub(super) fn parse_if_any(input: ParseStream<'_>) -> syn::Result<Option<Self>> {
        let fork = input.fork();
        let content;
        braced!(content in fork);
        if !content.peek(Ident) || content.parse::<Ident>()? != "member" {
            return Ok(None);
        }
        let owner = content.parse::<LitStr>()?.value();
        let members = idents(&content)?;
        let closed = idents(&content)?;
        let help = content.parse::<LitStr>()?.value();
        let member = content.parse()?;
        syn::parse::discouraged::Speculative::advance_to(input, &fork);
        Ok(Some(Self {
            owner,
            members,
            closed,
            help,
            member,
        }))
    }

    /// The error on the user's member name.
    pub(super) fn error(&self) -> syn::Error {
        let (owner, member) = (&self.owner, self.member.to_string());
        let names: Vec<String> = self.members.iter().map(ToString::to_string).collect();
        if self.closed.iter().any(|m| *m == member) {
            let mut message = format!("`{owner}::{member}` takes no listeners of its own");
            if !self.help.is_empty() {
                let _ = write!(message, "\nhelp: {}", self.help);
            }
            return syn::Error::new(self.member.span(), message);
        }
        let mut message = format!("`{owner}` has no attribute `{member}` to listen on");
        if let Some(close) = crate::text::closest(&member, names.iter().map(String::as_str)) {
            let _ = write!(message, "\nhelp: did you mean `{owner}::{close}`?");
        }
        if names.is_empty() {
            let _ = write!(message, "\nnote: `{owner}` declares no attribute targets");
        } else {
            let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            let _ = write!(
                message,
                "\nnote: `{owner}`'s attributes are {}",
                list.join(", ")
            );
        }
        syn::Error::new(self.member.span(), message)
    }
}

/// `[a b c]`.
fn idents(input: ParseStream<'_>) -> syn::Result<Vec<Ident>> {
    let list;
    syn::bracketed!(list in input);
    let mut out = Vec::new();
    while !list.is_empty() {
        out.push(list.parse()?);
    }
    Ok(out)
}

/// The same target and event in another `#[listens_for]` further down the same fn: the
/// listener would be registered twice. The error is on that second attribute.
pub(super) fn check_repeated(first: &super::parse::ListenArgs, f: &syn::ItemFn) -> syn::Result<()> {
    let text = |p: &Path| crate::common::tidy(&quote::quote!(#p).to_string());
    let target = text(&first.target);
    for attr in &f.attrs {
        let is_listens_for = attr
            .path()
            .segments
            .last()
            .is_some_and(|s| s.ident == "listens_for");
        let Ok(other) = attr.parse_args::<super::parse::ListenArgs>() else {
            continue;
        };
        if is_listens_for
            && text(&other.target) == target
            && other.event.value() == first.event.value()
        {
            return Err(syn::Error::new_spanned(
                attr,
                format!(
                    "`{}` already listens for `{target}`'s \"{}\"\nhelp: remove this attribute: \
                     the listener would be registered and called twice",
                    f.sig.ident,
                    first.event.value()
                ),
            ));
        }
    }
    Ok(())
}

/// An event the target lacks that a `related(…)` family declares: which family that is, and
/// which targets accept it. `None` when no related family has it.
pub(super) fn event_elsewhere(
    table: &super::expand::Table,
    request: &super::expand::Request,
    family: Option<&str>,
    name: &str,
) -> Option<syn::Error> {
    let owner = table
        .related
        .iter()
        .filter(|f| family.is_none_or(|wanted| wanted == f.name))
        .find(|f| f.events.iter().any(|e| e.name == name))?;
    let target = table.name.value();
    let help = listen_on(&owner.targets)
        .unwrap_or_else(|| format!("listen on a target that accepts `{}`", owner.name));
    Some(syn::Error::new(
        request.event.span(),
        format!(
            "`{target}` has no event named \"{name}\": it is an event of `{}`, which `{target}` \
             does not accept\nhelp: {help}\n{}",
            owner.name,
            super::expand::accepted_events(table)
        ),
    ))
}

/// "listen on `Pool` or `Engine`", from a family's `targets(…)`; `None` if it names none.
fn listen_on(targets: &[String]) -> Option<String> {
    match targets {
        [] => None,
        [one] => Some(format!("listen on `{one}`")),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(|t| format!("`{t}`")).collect();
            Some(format!("listen on {} or `{last}`", init.join(", ")))
        }
    }
}
