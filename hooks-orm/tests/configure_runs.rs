//! Configure runs after the first: a skipped mapper (`before_mapper_configured` returning
//! true) stays new, a mapper mapped at runtime is configured by the next run, a refused
//! mapper stops the run, and dispose uninstruments every class.

mod common;

use common::{lines, record};
use hooks_orm::{ColumnDef, Error, ListenerError, MapperDef, Registry, mapper_events};
use hooks_sql::ColumnType;

mod skipped {
    #[derive(hooks_orm::Mapped)]
    #[mapped(table = "a")]
    pub(crate) struct A {
        #[column(primary_key)]
        pub(crate) id: i64,
    }

    #[derive(hooks_orm::Mapped)]
    #[mapped(table = "b")]
    pub(crate) struct B {
        #[column(primary_key)]
        pub(crate) id: i64,
    }
}

#[test]
fn a_skipped_mapper_stays_unconfigured_and_is_offered_again() {
    let registry = Registry::new();
    registry
        .map_declared(concat!(module_path!(), "::skipped"))
        .unwrap();
    let trace = record(&registry, &["A"]);
    registry.configure().unwrap();
    assert_eq!(
        lines(&trace),
        [
            "before_configured",
            "before_mapper_configured A",
            "before_mapper_configured B",
            "mapper_configured B",
            "after_configured",
        ]
    );
    let a = registry.mapper::<skipped::A>().unwrap();
    assert!(!a.is_configured());
    assert!(registry.mapper::<skipped::B>().unwrap().is_configured());
    // The next run offers A again, and only A.
    trace.lock().unwrap().clear();
    registry.configure().unwrap();
    assert_eq!(
        lines(&trace),
        [
            "before_configured",
            "before_mapper_configured A",
            "after_configured"
        ]
    );
}

static TAGS: MapperDef = MapperDef {
    class_name: "Tag",
    module_path: "imperative",
    table: "tags",
    columns: &[
        ColumnDef {
            name: "id",
            sql_type: ColumnType::Integer,
            primary_key: true,
            nullable: false,
            foreign_key: None,
            server_default: None,
        },
        ColumnDef {
            name: "label",
            sql_type: ColumnType::Text,
            primary_key: false,
            nullable: true,
            foreign_key: None,
            server_default: None,
        },
    ],
    class_listeners: None,
    relationships: &[],
};

mod runtime {
    #[derive(hooks_orm::Mapped)]
    #[mapped(table = "first")]
    pub(crate) struct First {
        #[column(primary_key)]
        pub(crate) id: i64,
    }
}

#[test]
fn a_mapper_added_after_configure_is_configured_by_the_next_run() {
    let registry = Registry::new();
    registry.map::<runtime::First>().unwrap();
    registry.configure().unwrap();
    let trace = record(&registry, &[]);
    registry.map_imperatively(&TAGS).unwrap();
    registry.configure().unwrap();
    assert_eq!(
        lines(&trace),
        [
            "instrument_class Tag",
            "class_instrument Tag",
            "attribute_instrument Tag id",
            "attribute_instrument Tag label",
            "after_mapper_constructed Tag",
            "before_configured",
            "before_mapper_configured Tag",
            "mapper_configured Tag",
            "after_configured",
        ]
    );
}

#[test]
fn mapping_twice_or_without_a_key_is_a_typed_error_and_fires_nothing() {
    static NO_KEY: MapperDef = MapperDef {
        class_name: "Keyless",
        module_path: "imperative",
        table: "keyless",
        columns: &[],
        class_listeners: None,
        relationships: &[],
    };
    static SAME_TABLE: MapperDef = MapperDef {
        class_name: "Other",
        ..TAGS
    };
    let registry = Registry::new();
    registry.map_imperatively(&TAGS).unwrap();
    let trace = record(&registry, &[]);
    let twice = registry.map_imperatively(&TAGS).unwrap_err();
    assert!(
        matches!(twice, Error::AlreadyMapped { class: "Tag" }),
        "{twice}"
    );
    let table = registry.map_imperatively(&SAME_TABLE).unwrap_err();
    assert_eq!(
        table.to_string(),
        "table `tags` is already mapped by another class"
    );
    let keyless = registry.map_imperatively(&NO_KEY).unwrap_err();
    assert_eq!(
        keyless.to_string(),
        "class `Keyless` has no primary key: mark a field `#[column(primary_key)]`"
    );
    assert!(lines(&trace).is_empty());
    assert_eq!(registry.mappers().len(), 1);
}

mod refused {
    #[derive(hooks_orm::Mapped)]
    #[mapped(table = "r1")]
    pub(crate) struct R1 {
        #[column(primary_key)]
        pub(crate) id: i64,
    }

    #[derive(hooks_orm::Mapped)]
    #[mapped(table = "r2")]
    pub(crate) struct R2 {
        #[column(primary_key)]
        pub(crate) id: i64,
    }
}

#[test]
fn a_refused_mapper_stops_the_run_and_stays_unconfigured() {
    let registry = Registry::new();
    registry
        .map_declared(concat!(module_path!(), "::refused"))
        .unwrap();
    let trace = record(&registry, &[]);
    mapper_events::mapper_configured
        .listen(&registry, |_, class| match class.class_name {
            "R1" => Err(ListenerError::new("no R1 today")),
            _ => Ok(()),
        })
        .unwrap();
    let error = registry.configure().unwrap_err();
    assert_eq!(
        error.to_string(),
        "configuring the mapper of `R1` failed: no R1 today"
    );
    assert_eq!(
        lines(&trace),
        [
            "before_configured",
            "before_mapper_configured R1",
            "mapper_configured R1",
        ]
    );
    assert!(registry.mappers().iter().all(|m| !m.is_configured()));
}

#[test]
fn dispose_uninstruments_every_class_in_mapping_order() {
    mod gone {
        #[derive(hooks_orm::Mapped)]
        #[mapped(table = "g1")]
        pub(crate) struct G1 {
            #[column(primary_key)]
            pub(crate) id: i64,
        }
    }
    let registry = Registry::new();
    registry.map::<gone::G1>().unwrap();
    registry.map_imperatively(&TAGS).unwrap();
    registry.configure().unwrap();
    let trace = record(&registry, &[]);
    registry.dispose();
    assert_eq!(
        lines(&trace),
        ["class_uninstrument G1", "class_uninstrument Tag"]
    );
    assert!(registry.mappers().is_empty());
    // Mapping again after dispose constructs a new, unconfigured mapper.
    assert!(!registry.map::<gone::G1>().unwrap().is_configured());
}
