//! `#[listens_for(User::phone, …)]`: a member of a target (a mapped attribute), which is a
//! target of its own. The owner's table lists its members and calls the member's table; this
//! module tells such a path from a type's.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Ident, Path};

/// `a::User::phone`, split.
pub(super) struct Member {
    /// `a::User`: the target whose member it is.
    pub(super) owner: Path,
    /// `phone`.
    pub(super) name: Ident,
    /// `a::`: where the owner, and so the member's own target, is declared.
    pub(super) module: TokenStream,
}

/// The member a path names: a snake-case last segment after a CamelCase one (`User::phone`;
/// `models::User` and `Engine` are types).
pub(super) fn split(path: &Path) -> Option<Member> {
    let n = path.segments.len();
    let (owner_seg, member_seg) = (path.segments.get(n.checked_sub(2)?)?, path.segments.last()?);
    let starts = |ident: &Ident, upper: bool| {
        ident
            .to_string()
            .starts_with(|c: char| c.is_ascii_alphabetic() && c.is_ascii_uppercase() == upper)
    };
    if !starts(&owner_seg.ident, true) || !starts(&member_seg.ident, false) {
        return None;
    }
    let mut owner = path.clone();
    owner.segments.pop();
    owner.segments.pop_punct();
    let module_segments = owner.segments.iter().take(n - 2).map(|s| &s.ident);
    let leading = owner.leading_colon;
    Some(Member {
        module: quote!(#leading #(#module_segments ::)*),
        name: member_seg.ident.clone(),
        owner,
    })
}
