//! What an event family tells the targets and listeners that use it, as tokens.
//!
//! `#[hooks::events]` writes a family's descriptor into the family's hidden `macro_rules!` table;
//! `#[hooks::target]` collects the descriptors of its families through those tables (at the
//! target's site, where the family paths resolve) into the target's own table; and
//! `#[listens_for]` expands into a call of the target's table, which hands the descriptors to
//! `listens_for_impl!`. Proc macros thus see every event of a target without naming any path.
//! A descriptor holds only what those checks read.

use hooks_runtime::Contract;
use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitBool, LitStr, bracketed, parenthesized};

/// One family: its name and its events.
pub(crate) struct FamilyDesc {
    pub(crate) name: String,
    pub(crate) events: Vec<EventDesc>,
    /// The types that accept the family, as its `targets(…)` option names them.
    pub(crate) targets: Vec<String>,
}

/// One event, as far as compile-time checks of a listener need it.
pub(crate) struct EventDesc {
    pub(crate) name: String,
    pub(crate) contract: Contract,
    pub(crate) modifiers: Vec<String>,
    pub(crate) deprecated: bool,
    /// The declared parameters, as `(name, type text)`: the listener's signature is checked
    /// against their shape, and quoted in the error when it does not match.
    pub(crate) params: Vec<(String, String)>,
    /// What a plain listener returns (`""` for nothing).
    pub(crate) plain_ret: String,
    /// What a `retval` listener returns (`""` unless the event is `retval`).
    pub(crate) retval_ret: String,
    /// The index of the `#[target]` argument, which a listener on a class may take as that
    /// class's view.
    pub(crate) target_param: Option<usize>,
}

impl EventDesc {
    pub(crate) fn accepts(&self, modifier: &str) -> bool {
        self.modifiers.iter().any(|m| m == modifier)
    }
}

impl Parse for FamilyDesc {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let content;
        bracketed!(content in input);
        let name = content.parse::<LitStr>()?.value();
        let list;
        bracketed!(list in content);
        let mut events = Vec::new();
        while !list.is_empty() {
            events.push(list.parse()?);
        }
        let list;
        bracketed!(list in content);
        let mut targets = Vec::new();
        while !list.is_empty() {
            targets.push(list.parse::<LitStr>()?.value());
        }
        Ok(Self {
            name,
            events,
            targets,
        })
    }
}

impl Parse for EventDesc {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let content;
        parenthesized!(content in input);
        let name = content.parse::<LitStr>()?.value();
        let contract = parse_contract(&content)?;
        let list;
        bracketed!(list in content);
        let mut modifiers = Vec::new();
        while !list.is_empty() {
            modifiers.push(list.parse::<LitStr>()?.value());
        }
        let deprecated = content.parse::<LitBool>()?.value;
        let list;
        bracketed!(list in content);
        let mut params = Vec::new();
        while !list.is_empty() {
            let pair;
            parenthesized!(pair in list);
            params.push((
                pair.parse::<LitStr>()?.value(),
                pair.parse::<LitStr>()?.value(),
            ));
        }
        let plain_ret = content.parse::<LitStr>()?.value();
        let retval_ret = content.parse::<LitStr>()?.value();
        let list;
        bracketed!(list in content);
        let target_param = if list.is_empty() {
            None
        } else {
            Some(list.parse::<syn::LitInt>()?.base10_parse()?)
        };
        Ok(Self {
            name,
            contract,
            modifiers,
            deprecated,
            params,
            plain_ret,
            retval_ret,
            target_param,
        })
    }
}

/// A contract travels as its variant's name: `Retval`.
fn parse_contract(input: ParseStream<'_>) -> syn::Result<Contract> {
    let ident: Ident = input.parse()?;
    Contract::ALL
        .into_iter()
        .find(|c| ident == format!("{c:?}"))
        .ok_or_else(|| syn::Error::new(ident.span(), "unknown contract in a family table"))
}

impl ToTokens for FamilyDesc {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let (name, events, targets) = (&self.name, &self.events, &self.targets);
        tokens.extend(quote!([#name [#(#events)*] [#(#targets)*]]));
    }
}

impl ToTokens for EventDesc {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let Self {
            name,
            contract,
            modifiers,
            deprecated,
            params,
            plain_ret,
            retval_ret,
            target_param,
        } = self;
        let contract = format_ident!("{}", format!("{contract:?}"));
        let params = params.iter().map(|(n, t)| quote!((#n #t)));
        let target_param = target_param.map(proc_macro2::Literal::usize_unsuffixed);
        tokens.extend(quote!(
            (#name #contract [#(#modifiers)*] #deprecated [#(#params)*] #plain_ret #retval_ret
             [#target_param])
        ));
    }
}
