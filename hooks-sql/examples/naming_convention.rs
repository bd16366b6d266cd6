//! A naming convention: an `after_parent_attach` listener names every
//! unnamed `UniqueConstraint` `uq_<table>_<column>` when it joins its table.
//!
//! `cargo run -p hooks-sql --example naming_convention`

use hooks_sql::schema::SchemaEventTarget;
use hooks_sql::{Column, ColumnType, MetaData, Table, UniqueConstraint, create_engine};

#[hooks::listens_for(UniqueConstraint, "after_parent_attach")]
fn name_unique(target: SchemaEventTarget<'_>, parent: SchemaEventTarget<'_>) {
    let (Some(uq), Some(table)) = (target.as_unique_constraint(), parent.as_table()) else {
        return;
    };
    if uq.name().is_none() {
        let name = format!("uq_{}_{}", table.name(), uq.columns().join("_"));
        println!(
            "naming the unique constraint on {}({}) {name}",
            table.name(),
            uq.columns().join(", ")
        );
        uq.set_name(Some(name));
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = create_engine("sqlite://")?;
    let metadata = MetaData::new();
    let users = Table::builder("users")
        .column(Column::new("id", ColumnType::Integer).primary_key(true))
        .column(Column::new("email", ColumnType::Text))
        .constraint(UniqueConstraint::new(["email"]))
        .build(&metadata)?;
    assert_eq!(
        users.unique_constraints()[0].name().as_deref(),
        Some("uq_users_email")
    );
    metadata.create_all(&engine, false)?;
    let sql = engine
        .connect()?
        .exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'users'", ())?
        .scalar()
        .and_then(|v| v.as_str().map(str::to_owned))
        .expect("created");
    println!("{sql}");
    assert!(sql.contains("CONSTRAINT \"uq_users_email\" UNIQUE (\"email\")"));
    Ok(())
}
