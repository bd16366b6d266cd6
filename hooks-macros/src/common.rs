//! Helpers shared by the macros: names, unique identifiers, docs.

use std::hash::{DefaultHasher, Hash, Hasher};

use proc_macro2::{Span, TokenStream};
use quote::quote;

/// `PoolEvents` → `pool_events`, `DDLEvents` → `ddl_events`.
pub(crate) fn snake_case(camel: &str) -> String {
    heck::ToSnakeCase::to_snake_case(camel)
}

/// `before_cursor_execute` → `BeforeCursorExecute`: the prefix of an event's named-argument
/// struct.
pub(crate) fn camel_case(snake: &str) -> String {
    heck::ToUpperCamelCase::to_upper_camel_case(snake)
}

/// A name for a `#[macro_export]`ed table that no other table in the build shares: the crate,
/// the item's name and where it is written.
pub(crate) fn unique_macro_name(kind: &str, name: &syn::Ident) -> syn::Ident {
    let mut hasher = DefaultHasher::new();
    std::env::var("CARGO_CRATE_NAME")
        .unwrap_or_default()
        .hash(&mut hasher);
    std::env::var("CARGO_PKG_VERSION")
        .unwrap_or_default()
        .hash(&mut hasher);
    let location = proc_macro::Span::call_site();
    location.file().hash(&mut hasher);
    location.line().hash(&mut hasher);
    location.column().hash(&mut hasher);
    name.to_string().hash(&mut hasher);
    syn::Ident::new(
        &format!("__hooks_{kind}_{name}_{:016x}", hasher.finish()),
        Span::call_site(),
    )
}

/// `#[doc = "…"]` lines.
pub(crate) fn doc_lines(lines: &[String]) -> TokenStream {
    lines.iter().map(|l| quote!(#[doc = #l])).collect()
}

/// Compile errors gathered while validating, reported together.
#[derive(Default)]
pub(crate) struct Errors {
    all: Option<syn::Error>,
    count: usize,
}

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        self.count += 1;
        match &mut self.all {
            Some(all) => all.combine(error),
            None => self.all = Some(error),
        }
    }

    /// How many errors were reported so far.
    pub(crate) fn count(&self) -> usize {
        self.count
    }

    pub(crate) fn add(&mut self, span: Span, message: impl std::fmt::Display) {
        self.push(syn::Error::new(span, message));
    }

    pub(crate) fn finish(self) -> syn::Result<()> {
        self.all.map_or(Ok(()), Err)
    }
}

/// The token tree of a type, as readable text: `& DbapiConnection` → `&DbapiConnection`.
pub(crate) fn type_text(ty: &syn::Type) -> String {
    let raw = quote!(#ty).to_string();
    tidy(&raw)
}

/// Removes the spaces `to_string` puts between tokens where Rust code would have none.
pub(crate) fn tidy(raw: &str) -> String {
    raw.replace(" :: ", "::")
        .replace("& ", "&")
        .replace(" ,", ",")
        .replace("< ", "<")
        .replace(" <", "<")
        .replace(" >", ">")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace("' ", "'")
}

/// The path generated code reaches the `hooks` facade by: `crate = path` on an attribute, or
/// `::hooks`. A host that re-exports `hooks` names its re-export (`crate = crate::hooks`), so
/// that its users need no `hooks` dependency of their own.
#[derive(Clone)]
pub(crate) struct CratePath(TokenStream);

impl Default for CratePath {
    fn default() -> Self {
        Self(quote!(::hooks))
    }
}

impl CratePath {
    /// Parses the value of `crate = path`.
    pub(crate) fn from_value(value: &syn::Expr) -> syn::Result<Self> {
        match value {
            syn::Expr::Path(p) if p.qself.is_none() => Ok(Self::from_path(&p.path)),
            other => Err(syn::Error::new_spanned(
                other,
                "expected the path of the `hooks` crate, e.g. `crate = ::hooks`",
            )),
        }
    }

    pub(crate) fn from_path(path: &syn::Path) -> Self {
        Self(quote!(#path))
    }

    /// Tokens received from a table, as they were written into it.
    pub(crate) fn from_tokens(tokens: TokenStream) -> Self {
        Self(tokens)
    }

    /// `path::__private`, the items generated code uses.
    pub(crate) fn private(&self) -> TokenStream {
        let path = &self.0;
        quote!(#path::__private)
    }

    /// The path as written into a `macro_rules!` table that expands in other crates: a leading
    /// `crate` becomes `$crate`, which still names the crate that declared the table.
    pub(crate) fn in_table(&self) -> TokenStream {
        let mut tokens = self.0.clone().into_iter();
        match tokens.next() {
            Some(proc_macro2::TokenTree::Ident(first)) if first == "crate" => {
                let rest: TokenStream = tokens.collect();
                quote!($crate #rest)
            }
            Some(first) => std::iter::once(first).chain(tokens).collect(),
            None => TokenStream::new(),
        }
    }
}

impl quote::ToTokens for CratePath {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.0.to_tokens(tokens);
    }
}
