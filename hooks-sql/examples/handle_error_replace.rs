//! A `handle_error` listener replacing SQLite's "no such table" error by
//! an application error the caller can match on.
//!
//! `cargo run -p hooks-sql --example handle_error_replace`

use std::fmt;

use hooks_sql::{Error, connection_events, create_engine};

/// The application's own error.
#[derive(Debug)]
struct MissingTable(String);

impl fmt::Display for MissingTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the table `{}` is missing: run the migrations first",
            self.0
        )
    }
}

impl std::error::Error for MissingTable {}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = create_engine("sqlite://")?;
    let _h = connection_events::handle_error.listen(&engine, |ctx| {
        let message = ctx.original_exception().to_string();
        if let Some(rest) = message.split("no such table: ").nth(1) {
            let table = rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            ctx.set_chained_exception(Error::custom(MissingTable(table)));
        }
        Ok(())
    })?;
    let conn = engine.connect()?;
    let err = conn
        .exec_driver_sql("SELECT * FROM accounts", ())
        .unwrap_err();
    println!("caller sees: {err}");
    let Error::Custom(inner) = &err else {
        panic!("expected the replaced error, got {err:?}");
    };
    let missing = inner.downcast_ref::<MissingTable>().expect("our error");
    assert_eq!(missing.0, "accounts");
    // Other errors pass through unchanged.
    let syntax = conn.exec_driver_sql("SELEKT 1", ()).unwrap_err();
    assert!(syntax.as_dbapi().is_some());
    println!("other errors unchanged: {syntax}");
    Ok(())
}
