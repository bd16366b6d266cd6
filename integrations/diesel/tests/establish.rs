//! With `install_default`, every connection diesel opens fires from its
//! first step. The only test of this binary: it changes diesel's
//! process-wide default and listens on the `DieselConnection` type.

use std::sync::Mutex;

use diesel::prelude::*;
use hooks_diesel::{DieselConnection, install_default, target_of};

static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());

#[hooks::listens_for(DieselConnection, "do_connect")]
fn on_do_connect(conn: &DieselConnection, url: &str) {
    LOG.lock()
        .unwrap()
        .push(format!("do_connect #{} {url}", conn.id()));
}

#[hooks::listens_for(DieselConnection, "connect")]
fn on_connect(conn: &DieselConnection, url: &str) {
    LOG.lock()
        .unwrap()
        .push(format!("connect #{} {url}", conn.id()));
}

#[hooks::listens_for(DieselConnection, "handle_error")]
fn on_error(
    conn: &DieselConnection,
    statement: Option<&str>,
    exception: &(dyn std::error::Error + 'static),
) {
    let is_connection_error = exception
        .downcast_ref::<diesel::ConnectionError>()
        .is_some();
    LOG.lock().unwrap().push(format!(
        "handle_error #{} {statement:?} connection error: {is_connection_error}",
        conn.id()
    ));
}

#[test]
fn establishing_fires_do_connect_then_connect_or_handle_error() {
    install_default().unwrap();
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let id = target_of(&mut conn).unwrap().id();
    let missing = std::env::temp_dir()
        .join("hooks-diesel-no-such-dir")
        .join("x.db");
    let url = missing.to_str().unwrap();
    assert!(SqliteConnection::establish(url).is_err());

    let log = LOG.lock().unwrap();
    assert_eq!(
        log[..2],
        [
            format!("do_connect #{id} :memory:"),
            format!("connect #{id} :memory:")
        ]
    );
    let failed = log[2]["do_connect #".len()..].split(' ').next().unwrap();
    assert_eq!(
        log[2..],
        [
            format!("do_connect #{failed} {url}"),
            format!("handle_error #{failed} None connection error: true")
        ]
    );
}
