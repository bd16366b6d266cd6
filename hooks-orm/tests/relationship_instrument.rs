//! `attribute_instrument` for relationships (SQLAlchemy instruments every mapped property,
//! `relationship()` included): a class's columns in field order, then its relationships, each
//! with its definition.

#[path = "relationships_common/mod.rs"]
mod relationships_common;

use hooks_orm::{AttributeDef, instrumentation_events as ie};
use relationships_common::*;

#[test]
fn relationships_are_instrumented_after_the_columns() {
    let registry = Registry::new();
    let trace = Trace::default();
    let t = trace.clone();
    ie::attribute_instrument
        .listen(&registry, move |_, class, key, inst| {
            let what = match inst {
                AttributeDef::Column(column) => format!("column {:?}", column.sql_type),
                AttributeDef::Relationship(r) => {
                    format!("{:?} of {}", r.kind, (r.target)().class_name)
                }
            };
            push(&t, format!("{}.{key} {what}", class.class_name));
        })
        .unwrap();
    registry.map::<User>().unwrap();
    registry.map::<Address>().unwrap();
    assert_eq!(
        take(&trace),
        [
            "User.id column Integer",
            "User.name column Text",
            "User.addresses OneToMany of Address",
            "Address.id column Integer",
            "Address.email column Text",
            "Address.user_id column Integer",
            "Address.user ManyToOne of User",
        ]
    );
}
