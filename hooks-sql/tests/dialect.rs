//! The SQLite dialect and URL handling.

mod common;

use hooks_sql::{
    ConnectParams, Dialect, DisconnectionError, Error, Params, Url, Value, create_engine,
};

#[test]
fn urls_select_memory_or_file_databases() {
    assert!(Url::parse("sqlite://").unwrap().is_memory());
    assert!(Url::parse("sqlite:///:memory:").unwrap().is_memory());
    assert_eq!(
        Url::parse("sqlite:///rel/app.db").unwrap().database(),
        Some("rel/app.db")
    );
    assert_eq!(
        Url::parse("sqlite:////abs/app.db").unwrap().database(),
        Some("/abs/app.db")
    );
    let url = Url::parse("sqlite+rusqlite:///a.db?timeout=2").unwrap();
    assert_eq!(url.query(), [("timeout".to_owned(), "2".to_owned())]);
    assert_eq!(url.to_string(), "sqlite+rusqlite:///a.db?timeout=2");
}

#[test]
fn bad_urls_are_typed_errors() {
    for bad in [
        "postgresql://x/y",
        "sqlite:/x",
        "sqlite://host/db",
        "sqlite:///a.db?novalue",
    ] {
        assert!(
            matches!(Url::parse(bad), Err(Error::InvalidUrl { .. })),
            "{bad}"
        );
    }
    assert!(matches!(
        create_engine("sqlite:///a.db?timeout=soon"),
        Err(Error::Argument(_))
    ));
}

#[test]
fn connect_validates_arguments() {
    let dialect = Dialect::sqlite();
    let none: &[String] = &[];
    assert!(matches!(
        dialect.connect(none, &ConnectParams::new()),
        Err(Error::Argument(_))
    ));
    let mut cparams = ConnectParams::new();
    cparams.insert("colour".into(), Value::from("blue"));
    let err = dialect.connect(&[":memory:".into()], &cparams).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid argument: unknown sqlite connect parameter `colour`"
    );
    cparams.clear();
    cparams.insert("timeout".into(), Value::Integer(-1));
    assert!(dialect.connect(&[":memory:".into()], &cparams).is_err());
}

#[test]
fn connect_applies_timeout_and_uri_parameters() {
    let dir = common::temp_dir("uri");
    let path = dir.join("u.db");
    let mut cparams = ConnectParams::new();
    cparams.insert("uri".into(), Value::Integer(1));
    cparams.insert("timeout".into(), Value::Real(0.25));
    let dbapi = Dialect::sqlite()
        .connect(&[format!("file:{}?mode=rwc", path.display())], &cparams)
        .unwrap();
    let timeout: i64 = dbapi
        .with_raw(|raw| raw.query_row("PRAGMA busy_timeout", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(timeout, 250);
    assert!(path.exists(), "the URI filename was interpreted");
}

#[test]
fn dialect_execution_methods_run_on_the_cursor() {
    let dialect = Dialect::sqlite();
    let dbapi = dialect
        .connect(&[":memory:".into()], &ConnectParams::new())
        .unwrap();
    let cursor = dbapi.cursor();
    dialect
        .do_execute_no_params(&cursor, "CREATE TABLE t (x)", None)
        .unwrap();
    dialect
        .do_executemany(
            &cursor,
            "INSERT INTO t VALUES (?)",
            &[Params::positional([1]), Params::positional([2])],
            None,
        )
        .unwrap();
    assert_eq!(cursor.result().rowcount(), Some(2));
    dialect
        .do_execute(
            &cursor,
            "SELECT sum(x) FROM t WHERE x > ?",
            &Params::positional([0]),
            None,
        )
        .unwrap();
    assert_eq!(cursor.result().scalar(), Some(&Value::Integer(3)));
}

#[test]
fn is_disconnect_only_for_lost_connections() {
    let dialect = Dialect::sqlite();
    let dbapi = dialect
        .connect(&[":memory:".into()], &ConnectParams::new())
        .unwrap();
    let syntax = dbapi
        .cursor()
        .execute("NOT SQL", &Params::None)
        .unwrap_err();
    assert!(!dialect.is_disconnect(&syntax));
    dbapi.close().unwrap();
    let closed = dbapi
        .cursor()
        .execute("SELECT 1", &Params::None)
        .unwrap_err();
    assert!(dialect.is_disconnect(&closed));
    assert!(dialect.is_disconnect(&Error::Disconnection(DisconnectionError::new("gone"))));
    assert!(!dialect.is_disconnect(&Error::ConnectionClosed));
}

#[test]
fn identifiers_are_always_quoted() {
    let dialect = Dialect::sqlite();
    assert_eq!(dialect.quote_identifier("a\"b"), "\"a\"\"b\"");
    assert_eq!(
        (
            dialect.name(),
            dialect.driver(),
            dialect.supports_two_phase()
        ),
        ("sqlite", "rusqlite", false)
    );
}
