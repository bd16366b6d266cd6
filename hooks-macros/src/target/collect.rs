//! The chain that builds a target's table: `#[hooks::target]` calls its first family's table,
//! each family table appends its descriptor and calls `target_collect!`, which calls the next
//! family's table or, when none is left, emits the target's own table.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token, Visibility, braced, bracketed};

use crate::common::{CratePath, unique_macro_name};
use crate::descriptor::FamilyDesc;

/// What travels through the chain.
struct State {
    target: Ident,
    name: LitStr,
    vis: Visibility,
    table: Ident,
    /// The path of the `hooks` crate at the target's site.
    krate: CratePath,
    remaining: Vec<TokenStream>,
    collected: Vec<FamilyDesc>,
    /// The `related(…)` families still to collect: not accepted, read only to say, of an
    /// event the target lacks, which family has it and which targets accept that.
    related_remaining: Vec<TokenStream>,
    related: Vec<FamilyDesc>,
    /// The descriptor on its way is a related family's.
    pending_related: bool,
    /// The target's typed view of `#[target]` arguments, as text; `""` for none.
    view: LitStr,
    /// Its members: `(phone UserPhone)`, the member's name and its target type; `(email)` for
    /// one that takes no listeners of its own.
    members: Vec<(Ident, Option<Ident>)>,
    /// What the error on such a member tells the user to do; `""` for nothing.
    member_help: LitStr,
}

impl State {
    fn to_tokens(&self) -> TokenStream {
        let Self {
            target,
            name,
            vis,
            table,
            krate,
            remaining,
            collected,
            related_remaining,
            related,
            pending_related,
            view,
            members,
            member_help,
        } = self;
        let members = members.iter().map(|(m, ty)| quote!((#m #ty)));
        quote! {
            #target #name { #vis } #table { #krate } [#({#remaining})*] [#(#collected)*]
            [#({#related_remaining})*] [#(#related)*] #pending_related #view [#(#members)*]
            #member_help
        }
    }

    /// Where the descriptor that arrives goes.
    fn receive(&mut self, desc: FamilyDesc) {
        if self.pending_related {
            self.related.push(desc);
        } else {
            self.collected.push(desc);
        }
    }

    /// Calls the next family's table, or emits the target's table when all are collected.
    fn next(mut self) -> TokenStream {
        let family = if !self.remaining.is_empty() {
            self.remaining.remove(0)
        } else if !self.related_remaining.is_empty() {
            self.pending_related = true;
            self.related_remaining.remove(0)
        } else {
            return self.finish();
        };
        let state = self.to_tokens();
        quote!(#family! { @hooks_collect { #state } })
    }

    fn finish(self) -> TokenStream {
        let Self {
            target,
            name,
            vis,
            table,
            krate,
            collected,
            related,
            view,
            members,
            member_help,
            ..
        } = self;
        // The table expands at each listener's site: it names the facade as the target's
        // crate does, through `$crate` where that is `crate`, and passes the path on to the
        // listener's expansion.
        let krate = krate.in_table();
        let member_arms = member_arms(&name, &krate, &members, &member_help);
        let reexport = reexport(&vis, &table, &target);
        // Spanned on the target's name, like the re-export: rustc points there when it
        // mentions the table ("a macro with a similar name exists").
        quote_spanned! {target.span()=>
            #[doc(hidden)]
            // A target declared in a fn body works: its table is reached by the re-export.
            #[allow(non_local_definitions)]
            #[macro_export]
            macro_rules! #table {
                (@hooks_listens_for { $($input:tt)* }) => {
                    #krate::__private::listens_for_impl! { { #name { #krate } [#(#collected)*] [#(#related)*] #view } $($input)* }
                };
                #(#member_arms)*
                // A rejected attribute still names its target, so that the import is used.
                (@hooks_name) => {};
            }
            #reexport
        }
    }
}

/// The table's arms for `#[listens_for(Owner::member, …)]`: each member's calls the member's
/// own table, declared in the owner's module (`$module`, as the listener wrote it); any other
/// name is refused with the members listed.
fn member_arms(
    name: &LitStr,
    krate: &TokenStream,
    members: &[(Ident, Option<Ident>)],
    help: &LitStr,
) -> Vec<TokenStream> {
    let names = members.iter().map(|(member, _)| member);
    let closed = members
        .iter()
        .filter(|(_, ty)| ty.is_none())
        .map(|(m, _)| m);
    let listenable = members.iter().filter_map(|(m, ty)| Some((m, ty.as_ref()?)));
    let known = listenable.map(|(member, ty)| {
        quote! {
            (@hooks_member #member { $($module:tt)* } { $($input:tt)* }) => {
                $($module)* #ty! { @hooks_listens_for { { $($module)* #ty } $($input)* } }
            };
        }
    });
    let unknown = quote! {
        (@hooks_member $member:ident { $($module:tt)* } { $($input:tt)* }) => {
            #krate::__private::listens_for_impl! {
                { member #name [#(#names)*] [#(#closed)*] #help $member }
            }
        };
    };
    known.chain([unknown]).collect()
}

/// The table under the target's name, spanned on that name: rustc's "a macro with a similar
/// name exists" for a misspelt target then points at the target, not into `#[hooks::events]`.
fn reexport(vis: &Visibility, table: &Ident, target: &Ident) -> TokenStream {
    quote_spanned! {target.span()=>
        #[doc(hidden)]
        #vis use #table as #target;
    }
}

/// The table of a target in error: it accepts every listener and checks nothing, because the
/// target's own error is the one to fix and each listener repeating it would bury it.
pub(crate) fn lenient_table(item: &syn::DeriveInput) -> TokenStream {
    let (target, vis) = (&item.ident, &item.vis);
    let table = unique_macro_name("target", target);
    let reexport = reexport(vis, &table, target);
    quote! {
        #[doc(hidden)]
        #[allow(non_local_definitions)]
        #[macro_export]
        macro_rules! #table {
            (@hooks_listens_for { $($input:tt)* }) => {};
            (@hooks_member $($input:tt)*) => {};
            (@hooks_name) => {};
        }
        #reexport
    }
}

impl Parse for State {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let target = input.parse()?;
        let name = input.parse()?;
        let vis_content;
        braced!(vis_content in input);
        let vis = vis_content.parse()?;
        let table = input.parse()?;
        let krate_content;
        braced!(krate_content in input);
        let krate = CratePath::from_tokens(krate_content.parse()?);
        let family_path = |family: ParseStream<'_>| {
            let content;
            braced!(content in family);
            content.parse()
        };
        let remaining = parse_list(input, family_path)?;
        let collected = parse_list(input, FamilyDesc::parse)?;
        let related_remaining = parse_list(input, family_path)?;
        let related = parse_list(input, FamilyDesc::parse)?;
        let pending_related = input.parse::<syn::LitBool>()?.value;
        let view = input.parse()?;
        let members = parse_list(input, |member| {
            let content;
            syn::parenthesized!(content in member);
            Ok((content.parse()?, content.parse()?))
        })?;
        let member_help = input.parse()?;
        Ok(Self {
            target,
            name,
            vis,
            table,
            krate,
            remaining,
            collected,
            related_remaining,
            related,
            pending_related,
            view,
            members,
            member_help,
        })
    }
}

/// `[a b c]`, each parsed by `item`.
fn parse_list<T>(
    input: ParseStream<'_>,
    item: impl Fn(ParseStream<'_>) -> syn::Result<T>,
) -> syn::Result<Vec<T>> {
    let content;
    bracketed!(content in input);
    let mut out = Vec::new();
    while !content.is_empty() {
        out.push(item(&content)?);
    }
    Ok(out)
}

/// The first step, emitted by `#[hooks::target]`.
pub(crate) fn start_chain(item: &syn::DeriveInput, parsed: &super::parse::Parsed) -> TokenStream {
    let (specs, related, krate) = (&parsed.specs, &parsed.related, &parsed.krate);
    let view = parsed.view.as_ref().map_or_else(String::new, view_text);
    let state = State {
        target: item.ident.clone(),
        name: parsed
            .name
            .clone()
            .unwrap_or_else(|| LitStr::new(&item.ident.to_string(), item.ident.span())),
        vis: item.vis.clone(),
        table: unique_macro_name("target", &item.ident),
        krate: krate.clone(),
        remaining: specs
            .iter()
            .map(|s| {
                let family = &s.family;
                quote!(#family)
            })
            .collect(),
        collected: Vec::new(),
        related_remaining: related.iter().map(|p| quote!(#p)).collect(),
        related: Vec::new(),
        pending_related: false,
        view: LitStr::new(&view, item.ident.span()),
        members: parsed.members.clone(),
        member_help: parsed
            .member_help
            .clone()
            .unwrap_or_else(|| LitStr::new("", item.ident.span())),
    };
    state.next()
}

/// `target_collect! { { state } family-descriptor }`.
pub(crate) fn target_collect(input: TokenStream) -> TokenStream {
    let parsed = syn::parse::Parser::parse2(
        |input: ParseStream<'_>| {
            let content;
            braced!(content in input);
            let state: State = content.parse()?;
            let desc: FamilyDesc = input.parse()?;
            let _: Option<Token![;]> = input.parse()?;
            Ok((state, desc))
        },
        input,
    );
    match parsed {
        Ok((mut state, desc)) => {
            state.receive(desc);
            state.next()
        }
        Err(e) => e.to_compile_error(),
    }
}

/// The view as errors name it: its last path segment (`Obj<User>`, not
/// `::hooks_orm::Obj<User>`), as the user imports it.
fn view_text(ty: &syn::Type) -> String {
    let shown = match ty {
        syn::Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| quote!(#s)),
        _ => None,
    };
    crate::common::tidy(&shown.unwrap_or_else(|| quote!(#ty)).to_string())
}
