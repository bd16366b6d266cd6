//! `Registry::create_all` configures, then creates the mapped tables through `hooks-sql`'s
//! schema: the DDL events and the Core events fire underneath, and SQLite has the tables.

use std::sync::{Arc, Mutex};

use hooks_orm::{Registry, mapper_events};
use hooks_sql::{Connection, Engine, connection_events, create_engine};

#[derive(hooks_orm::Mapped)]
#[mapped(table = "people")]
struct Person {
    #[column(primary_key)]
    id: i64,
    name: String,
    age: Option<i32>,
}

fn columns(engine: &Engine) -> Vec<(String, String, i64, i64)> {
    let conn = engine.connect().unwrap();
    let info = conn
        .exec_driver_sql(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info('people')",
            (),
        )
        .unwrap();
    info.rows()
        .iter()
        .map(|r| {
            (
                r.get(0).unwrap(),
                r.get(1).unwrap(),
                r.get(2).unwrap(),
                r.get(3).unwrap(),
            )
        })
        .collect()
}

#[test]
fn create_all_configures_then_runs_the_ddl_through_the_engine() {
    let registry = Registry::new();
    registry.map::<Person>().unwrap();
    let engine = create_engine("sqlite://").unwrap();
    let trace = Arc::new(Mutex::new(Vec::<String>::new()));
    let t = Arc::clone(&trace);
    mapper_events::after_configured
        .listen(&registry, move || {
            t.lock().unwrap().push("after_configured".into());
        })
        .unwrap();
    let t = Arc::clone(&trace);
    connection_events::before_cursor_execute
        .listen(&engine, move |_: &Connection, _, sql, _, _, _| {
            if sql.starts_with("CREATE TABLE") {
                t.lock()
                    .unwrap()
                    .push(sql.split('(').next().unwrap().trim().to_owned());
            }
        })
        .unwrap();
    let metadata = registry.create_all(&engine).unwrap();
    assert_eq!(
        *trace.lock().unwrap(),
        ["after_configured", "CREATE TABLE \"people\""]
    );
    assert!(metadata.table("people").is_some());
    assert_eq!(
        columns(&engine),
        [
            ("id".into(), "INTEGER".into(), 1, 1),
            ("name".into(), "TEXT".into(), 1, 0),
            ("age".into(), "INTEGER".into(), 0, 0),
        ]
    );
    let _ = Person {
        id: 1,
        name: String::new(),
        age: None,
    };
}
