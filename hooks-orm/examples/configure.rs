//! Maps two classes, configures them, creates their tables on SQLite and disposes of them,
//! printing every ORM event (and the DDL underneath) as it fires.
//!
//! `cargo run -p hooks-orm --example configure`

use hooks_orm::{
    AttributeDef, Mapper, MapperDef, Registry, instrumentation_events as ie, mapper_events as me,
};
use hooks_sql::{Connection, connection_events, create_engine};

#[derive(hooks_orm::Mapped)]
#[mapped(table = "users")]
struct User {
    #[column(primary_key)]
    id: i64,
    name: String,
    phone: Option<String>,
}

#[derive(hooks_orm::Mapped)]
#[mapped(table = "addresses")]
struct Address {
    #[column(primary_key)]
    id: i64,
    email: String,
}

// A static listener on every mapper: checked at compile time, collected by the linker.
#[hooks::listens_for(Mapper, "before_mapper_configured")]
fn before_mapper_configured(mapper: &Mapper, _class: &MapperDef) -> bool {
    println!("  before_mapper_configured  {}", mapper.table());
    false // true would skip this mapper until the next configure
}

fn listen(registry: &Registry) -> Result<(), hooks::Error> {
    me::instrument_class.listen(registry, |_, c| {
        println!("instrument_class          {}", c.class_name);
    })?;
    ie::class_instrument.listen(registry, |_, c| {
        println!("  class_instrument        {}", c.class_name);
    })?;
    ie::attribute_instrument.listen(registry, |_, c, key, inst| {
        let kind = match inst {
            AttributeDef::Column(column) => format!("{:?}", column.sql_type),
            AttributeDef::Relationship(relationship) => format!("{:?}", relationship.kind),
        };
        println!("    attribute_instrument  {}.{key} {kind}", c.class_name);
    })?;
    me::after_mapper_constructed.listen(registry, |_, c| {
        println!("after_mapper_constructed  {}", c.class_name);
    })?;
    me::before_configured.listen(registry, || println!("before_configured"))?;
    me::mapper_configured.listen(registry, |m, _| {
        println!(
            "  mapper_configured         {} (configured: {})",
            m.table(),
            m.is_configured()
        );
        Ok(())
    })?;
    me::after_configured.listen(registry, || println!("after_configured"))?;
    ie::class_uninstrument.listen(registry, |_, c| {
        println!("class_uninstrument        {}", c.class_name);
    })?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let registry = Registry::new();
    listen(&registry)?;
    registry.map::<User>()?;
    registry.map::<Address>()?;

    let engine = create_engine("sqlite://")?;
    connection_events::before_cursor_execute.listen(
        &engine,
        |_: &Connection, _, sql, _, _, _| {
            println!("  SQL: {sql}");
        },
    )?;
    registry.create_all(&engine)?; // configure, then CREATE TABLE through hooks-sql
    assert!(registry.mappers().iter().all(|m| m.is_configured()));

    registry.dispose();
    let _ = (
        User {
            id: 1,
            name: String::new(),
            phone: None,
        },
        Address {
            id: 1,
            email: String::new(),
        },
    );
    Ok(())
}
