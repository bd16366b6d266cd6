//! The mapping and configure sequence, as SQLAlchemy's `MapperEventsTest` records it:
//! `instrument_class`, `class_instrument`, `attribute_instrument` per attribute,
//! `after_mapper_constructed`; then `before_configured`, per mapper
//! `before_mapper_configured`, `mapper_configured`, `after_configured`.

mod common;

use common::{lines, record};
use hooks_orm::{Mapped, Registry};

mod models {
    use hooks_orm::Mapped;

    #[derive(Mapped)]
    #[mapped(table = "users")]
    pub(crate) struct User {
        #[column(primary_key)]
        pub(crate) id: i64,
        pub(crate) name: String,
    }

    pub(crate) mod nested {
        #[derive(hooks_orm::Mapped)]
        #[mapped(table = "addresses")]
        pub(crate) struct Address {
            #[column(primary_key)]
            pub(crate) id: i64,
            pub(crate) email: Option<String>,
        }
    }
}

#[test]
fn declared_mappers_fire_construction_then_configure_in_order() {
    let registry = Registry::new();
    let trace = record(&registry, &[]);
    let mapped = registry
        .map_declared(concat!(module_path!(), "::models"))
        .unwrap();
    // Sorted by module path, then class name: `models` sorts before `models::nested`.
    assert_eq!(
        mapped.iter().map(|m| m.table()).collect::<Vec<_>>(),
        ["users", "addresses"]
    );
    assert!(mapped.iter().all(|m| !m.is_configured()));
    registry.configure().unwrap();
    assert_eq!(
        lines(&trace),
        [
            "instrument_class User",
            "class_instrument User",
            "attribute_instrument User id",
            "attribute_instrument User name",
            "after_mapper_constructed User",
            "instrument_class Address",
            "class_instrument Address",
            "attribute_instrument Address id",
            "attribute_instrument Address email",
            "after_mapper_constructed Address",
            "before_configured",
            "before_mapper_configured User",
            "mapper_configured User",
            "before_mapper_configured Address",
            "mapper_configured Address",
            "after_configured",
        ]
    );
    assert!(registry.mappers().iter().all(|m| m.is_configured()));
}

#[test]
fn a_second_configure_with_nothing_new_fires_nothing() {
    mod only {
        #[derive(hooks_orm::Mapped)]
        #[mapped(table = "things")]
        pub(crate) struct Thing {
            #[column(primary_key)]
            pub(crate) id: i64,
        }
    }
    let registry = Registry::new();
    registry.map::<only::Thing>().unwrap();
    registry.configure().unwrap();
    let trace = record(&registry, &[]);
    registry.configure().unwrap();
    assert!(lines(&trace).is_empty());
}

#[test]
fn the_derive_describes_table_columns_types_and_keys() {
    use hooks_sql::ColumnType;
    let def = models::User::MAPPER;
    assert_eq!(def.table, "users");
    assert_eq!(def.class_name, "User");
    assert_eq!(def.primary_key().collect::<Vec<_>>(), ["id"]);
    let id = def.column("id").unwrap();
    assert_eq!(
        (id.sql_type.clone(), id.nullable),
        (ColumnType::Integer, false)
    );
    let email = models::nested::Address::MAPPER.column("email").unwrap();
    assert_eq!(
        (email.sql_type.clone(), email.nullable),
        (ColumnType::Text, true)
    );
    let user = models::User {
        id: 7,
        name: "ann".into(),
    };
    assert_eq!(user.values(), [7.into(), "ann".into()]);
}
