//! What an event family tells the targets and listeners that use it, as tokens.
//!
//! `#[hooks::events]` writes a family's descriptor into the family's hidden `macro_rules!` table;
//! `#[hooks::target]` collects the descriptors of its families through those tables (at the
//! target's site, where the family paths resolve) into the target's own table; and
//! `#[listens_for]` expands into a call of the target's table, which hands the descriptors to
//! `listens_for_impl!`. Proc macros thus see every event of a target without naming any path.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::parse::{Parse, ParseStream};
use syn::{LitBool, LitStr, bracketed, parenthesized};

/// One family: its name, its module of event markers, its events.
pub(crate) struct FamilyDesc {
    pub(crate) name: String,
    pub(crate) module: String,
    pub(crate) events: Vec<EventDesc>,
}

/// One event, as far as compile-time checks of a listener need it.
pub(crate) struct EventDesc {
    pub(crate) name: String,
    pub(crate) contract: String,
    pub(crate) signature: String,
    pub(crate) retval_signature: String,
    pub(crate) modifiers: Vec<String>,
    pub(crate) args: Vec<String>,
    pub(crate) deprecated: bool,
}

impl EventDesc {
    pub(crate) fn accepts(&self, modifier: &str) -> bool {
        self.modifiers.iter().any(|m| m == modifier)
    }
}

fn strings(input: ParseStream<'_>) -> syn::Result<Vec<String>> {
    let content;
    bracketed!(content in input);
    let mut out = Vec::new();
    while !content.is_empty() {
        out.push(content.parse::<LitStr>()?.value());
    }
    Ok(out)
}

impl Parse for FamilyDesc {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let content;
        bracketed!(content in input);
        let name = content.parse::<LitStr>()?.value();
        let module = content.parse::<LitStr>()?.value();
        let list;
        bracketed!(list in content);
        let mut events = Vec::new();
        while !list.is_empty() {
            events.push(list.parse()?);
        }
        Ok(Self {
            name,
            module,
            events,
        })
    }
}

impl Parse for EventDesc {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let content;
        parenthesized!(content in input);
        Ok(Self {
            name: content.parse::<LitStr>()?.value(),
            contract: content.parse::<LitStr>()?.value(),
            signature: content.parse::<LitStr>()?.value(),
            retval_signature: content.parse::<LitStr>()?.value(),
            modifiers: strings(&content)?,
            args: strings(&content)?,
            deprecated: content.parse::<LitBool>()?.value,
        })
    }
}

impl ToTokens for FamilyDesc {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let (name, module, events) = (&self.name, &self.module, &self.events);
        tokens.extend(quote!([#name #module [#(#events)*]]));
    }
}

impl ToTokens for EventDesc {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let Self {
            name,
            contract,
            signature,
            retval_signature,
            modifiers,
            args,
            deprecated,
        } = self;
        tokens.extend(quote! {
            (#name #contract #signature #retval_signature [#(#modifiers)*] [#(#args)*] #deprecated)
        });
    }
}
