//! Typed errors instead of panics on bad input.

use hooks_sql::{Error, Params, create_engine, named_params, params};

fn conn() -> hooks_sql::Connection {
    create_engine("sqlite://").unwrap().connect().unwrap()
}

#[test]
fn sql_errors_carry_the_sqlite_error_and_statement() {
    let err = conn().exec_driver_sql("SELEC 1", ()).unwrap_err();
    let dbapi = err.as_dbapi().expect("a DBAPI error");
    assert_eq!(dbapi.statement(), Some("SELEC 1"));
    assert!(dbapi.sqlite_error().is_some());
    assert!(err.to_string().starts_with("database error: "), "{err}");
    assert!(err.to_string().ends_with("(statement: `SELEC 1`)"), "{err}");
}

/// Every message of an error's chain, outermost first, as a reporter such
/// as `anyhow`'s `{:#}` prints them.
fn chain(error: &(dyn std::error::Error + 'static)) -> Vec<String> {
    std::iter::successors(Some(error), |e| e.source())
        .map(ToString::to_string)
        .collect()
}

#[test]
fn an_error_chain_prints_the_sqlite_message_once() {
    let err = conn()
        .exec_driver_sql("SELECT * FROM nowhere", ())
        .unwrap_err();
    let printed = chain(&err).join(": ");
    assert_eq!(
        printed.matches("no such table: nowhere").count(),
        1,
        "{printed}"
    );
    let custom = Error::custom(err);
    let printed = chain(&custom).join(": ");
    assert_eq!(
        printed.matches("no such table: nowhere").count(),
        1,
        "{printed}"
    );
}

#[test]
fn parameter_mismatches_are_errors() {
    let c = conn();
    assert!(c.exec_driver_sql("SELECT ?, ?", params![1]).is_err());
    assert!(c.exec_driver_sql("SELECT 1", params![1]).is_err());
    assert!(
        c.exec_driver_sql("SELECT :a", named_params! {"b" => 1})
            .is_err()
    );
    assert!(
        c.exec_driver_sql("SELECT 1; SELECT 2", Params::None)
            .is_err()
    );
    assert_eq!(
        c.exec_driver_sql("SELECT :a, @a", named_params! {":a" => 1, "@a" => 2})
            .unwrap()
            .rows()[0]
            .values(),
        [1.into(), 2.into()]
    );
}

#[test]
fn row_access_errors_are_typed() {
    let result = conn().exec_driver_sql("SELECT 'x' AS s", ()).unwrap();
    let row = &result.rows()[0];
    let err = row.get::<i64>(0).unwrap_err();
    assert!(matches!(
        err,
        Error::Type {
            expected: "integer",
            found: "text"
        }
    ));
    assert_eq!(
        err.to_string(),
        "invalid value type: expected integer, found text"
    );
    assert!(matches!(
        row.get::<String>(3),
        Err(Error::IndexOutOfRange { index: 3, len: 1 })
    ));
    assert!(matches!(
        row.get_named::<String>("nope"),
        Err(Error::NoSuchColumn(_))
    ));
}

#[test]
fn messages_follow_rustc_style() {
    let messages = [
        Error::ConnectionClosed.to_string(),
        Error::PendingRollback.to_string(),
        Error::TransactionInactive.to_string(),
        Error::NoSuchTable("t".into()).to_string(),
    ];
    for message in messages {
        assert!(
            message.chars().next().unwrap().is_lowercase() && !message.ends_with('.'),
            "{message}"
        );
    }
}

#[test]
fn a_listener_error_can_be_wrapped() {
    let err = Error::custom("listener refused");
    assert_eq!(err.to_string(), "listener refused");
    let Error::Custom(inner) = &err else {
        panic!("expected Error::Custom, got {err:?}")
    };
    assert_eq!(inner.to_string(), "listener refused");
    // Transparent: the wrapped error is displayed, not repeated as a source.
    assert!(std::error::Error::source(&err).is_none());
}
