//! The order of the flush's mapper batches by foreign key (SQLAlchemy's unit-of-work
//! topological sort, reduced to mappers): a parent's batch comes before its children's, so
//! the parent's INSERT gives the key the children's INSERTs reference; the deletes run in
//! the reverse order, children first. Classes unrelated to each other keep their class-name
//! order; a cycle (not supported: no `post_update`) falls back to that order for the rest.

use crate::mapper::MapperDef;
use crate::relationship::RelationshipKind;

/// Whether `parent`'s rows must exist before `child`'s: one of them declares the other as
/// the parent side of a relationship.
fn is_parent_of(parent: &MapperDef, child: &MapperDef) -> bool {
    let declares = |owner: &MapperDef, kind: RelationshipKind, other: &MapperDef| {
        owner
            .relationships
            .iter()
            .any(|r| r.kind == kind && (r.target)().same_class(other))
    };
    !parent.same_class(child)
        && (declares(parent, RelationshipKind::OneToMany, child)
            || declares(child, RelationshipKind::ManyToOne, parent))
}

/// Reorders `items` (already in class-name order) so that every parent class comes before
/// its children: repeatedly the first item none of the remaining ones is a parent of.
pub(crate) fn sort<B>(items: &mut Vec<B>, class: impl Fn(&B) -> &'static MapperDef) {
    let mut remaining: Vec<B> = std::mem::take(items);
    while !remaining.is_empty() {
        let next = (0..remaining.len())
            .find(|&i| {
                let candidate = class(&remaining[i]);
                !remaining
                    .iter()
                    .any(|other| is_parent_of(class(other), candidate))
            })
            .unwrap_or(0);
        items.push(remaining.remove(next));
    }
}
