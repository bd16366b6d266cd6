//! Where a family is declared. Its generated module reaches the trait and the argument types
//! through `super`, which cannot see items declared inside a fn body; rustc would only say
//! "cannot find trait in module `super`". A proc macro is not told its context, so this reads
//! the source file the attribute is in and looks at what encloses the trait.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// Whether the trait `name` is declared inside a fn body (or another block) of the file the
/// attribute is in. Whenever that cannot be told for sure (no file, the name found nowhere but
/// inside macros' bodies), the answer is no, and rustc's own error stands.
pub(super) fn declared_in_block(name: &syn::Ident) -> bool {
    let Some(path) = proc_macro::Span::call_site().local_file() else {
        return false;
    };
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let Ok(tokens) = text.parse::<TokenStream>() else {
        return false;
    };
    let mut found = Vec::new();
    visit(tokens, Scope::Module, &name.to_string(), &mut found);
    !found.is_empty() && found.iter().all(|scope| *scope == Scope::Block)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// A file or a `mod name { … }`: a family may be declared here.
    Module,
    /// Any other braces: a fn body, a `const` block, …
    Block,
    /// A macro's body: what it declares, and where, is not known.
    Macro,
}

/// Records the scope of every `trait <name>` in `tokens`, which are in `scope`.
fn visit(tokens: TokenStream, scope: Scope, name: &str, found: &mut Vec<Scope>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        let before = |back: usize| i.checked_sub(back).map(|j| &tokens[j]);
        match token {
            // Inside a macro's body the text says nothing of where it expands.
            TokenTree::Ident(ident)
                if ident == name
                    && scope != Scope::Macro
                    && matches!(before(1), Some(TokenTree::Ident(t)) if t == "trait") =>
            {
                found.push(scope);
            }
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
                let inner = if scope == Scope::Macro || is_macro_body(before(1), before(2)) {
                    Scope::Macro
                } else if matches!(before(2), Some(TokenTree::Ident(m)) if m == "mod") {
                    Scope::Module
                } else {
                    Scope::Block
                };
                visit(group.stream(), inner, name, found);
            }
            TokenTree::Group(group) => visit(group.stream(), scope, name, found),
            _ => {}
        }
    }
}

/// `name! { … }` or `macro_rules! name { … }`.
fn is_macro_body(last: Option<&TokenTree>, second_last: Option<&TokenTree>) -> bool {
    let bang = |t: Option<&TokenTree>| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == '!');
    bang(last) || bang(second_last)
}
