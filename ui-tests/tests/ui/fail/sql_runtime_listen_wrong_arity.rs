use hooks_sql::{Connection, connection_events};

fn main() {
    let engine = hooks_sql::create_engine("sqlite://").unwrap();
    let _ = connection_events::savepoint.listen(&engine, |_conn: &Connection| {});
}
