//! The deprecated `PoolListener` and `ConnectionProxy` interfaces, on top
//! of the events.
#![allow(deprecated, reason = "the deprecated interfaces are under test")]

mod common;

use std::sync::Arc;

use common::{Log, memory_engine};
use hooks_sql::interfaces::{
    ConnectionProxy, CursorExecuteFn, ExecuteFn, PoolListener, add_connection_proxy,
    add_pool_listener,
};
use hooks_sql::{
    Connection, ConnectionRecord, Cursor, CursorParams, DbapiConnection, DisconnectionError, Error,
    ExecutionContext, Params, PoolProxiedConnection, Statement, Value, text,
};

struct Recorder {
    log: Log,
    refuse_first: std::sync::atomic::AtomicBool,
}

impl PoolListener for Recorder {
    fn connect(&self, _: &DbapiConnection, _: &ConnectionRecord) {
        self.log.push("connect");
    }
    fn first_connect(&self, _: &DbapiConnection, _: &ConnectionRecord) {
        self.log.push("first_connect");
    }
    fn checkout(
        &self,
        _: &DbapiConnection,
        _: &ConnectionRecord,
        _: &PoolProxiedConnection,
    ) -> Result<(), DisconnectionError> {
        self.log.push("checkout");
        if self
            .refuse_first
            .swap(false, std::sync::atomic::Ordering::SeqCst)
        {
            return Err(DisconnectionError::new("first one is stale"));
        }
        Ok(())
    }
    fn checkin(&self, d: Option<&DbapiConnection>, _: &ConnectionRecord) {
        self.log.push(format!("checkin {}", d.is_some()));
    }
}

struct Quiet;
impl PoolListener for Quiet {}

#[test]
fn a_pool_listener_receives_the_pool_events() {
    let engine = memory_engine();
    let log = Log::new();
    let recorder = Arc::new(Recorder {
        log: log.clone(),
        refuse_first: true.into(),
    });
    let handles = add_pool_listener(&engine, recorder).unwrap();
    add_pool_listener(&*engine.pool(), Arc::new(Quiet)).unwrap();
    drop(engine.connect().unwrap());
    assert_eq!(
        log.take(),
        [
            "first_connect",
            "connect",
            "checkout",
            "connect",
            "checkout",
            "checkin true"
        ],
        "the refusal made the pool reconnect"
    );
    for h in handles {
        h.remove().unwrap();
    }
    drop(engine.connect().unwrap());
    assert!(log.take().is_empty());
}

struct Proxy {
    log: Log,
}

impl ConnectionProxy for Proxy {
    fn execute(
        &self,
        _: &Connection,
        execute: &ExecuteFn<'_>,
        clauseelement: &Statement,
        multiparams: &[Params],
        params: &Params,
    ) -> (Statement, Vec<Params>, Params) {
        self.log.push("execute");
        let (stmt, m, p) = execute(clauseelement, multiparams, params);
        if matches!(stmt.kind(), hooks_sql::StatementKind::Text(sql) if sql == "SELECT 'old'") {
            return (text("SELECT 'new'"), m, p);
        }
        (stmt, m, p)
    }

    fn cursor_execute(
        &self,
        execute: &CursorExecuteFn<'_>,
        _: &Cursor,
        statement: &str,
        parameters: &CursorParams,
        _: Option<&ExecutionContext>,
    ) -> Result<(), Error> {
        self.log.push(format!("cursor_execute {statement}"));
        if statement.contains("skip me") {
            return Ok(()); // not calling the continuation: nothing runs
        }
        let outcome = execute(statement, parameters);
        self.log.push(format!("done ok={}", outcome.is_ok()));
        outcome
    }
}

#[test]
fn a_connection_proxy_wraps_execution_with_the_default_continuation() {
    let engine = memory_engine();
    let log = Log::new();
    add_connection_proxy(&engine, Arc::new(Proxy { log: log.clone() })).unwrap();
    let conn = engine.connect().unwrap();
    let sqlite = Log::new();
    sqlite.witness_statements(&conn.dbapi_connection().unwrap());
    let r = conn.execute(text("SELECT 'old'"), ()).unwrap();
    assert_eq!(r.scalar(), Some(&Value::from("new")));
    conn.exec_driver_sql("SELECT 1 -- skip me", ()).unwrap();
    let err = conn.exec_driver_sql("SELEKT", ()).unwrap_err();
    assert!(
        err.as_dbapi().is_some(),
        "the SQLite error reaches the caller: {err}"
    );
    assert_eq!(
        log.take(),
        [
            "execute",
            "cursor_execute SELECT 'new'",
            "done ok=true",
            "cursor_execute SELECT 1 -- skip me",
            "cursor_execute SELEKT",
            "done ok=false",
        ]
    );
    assert_eq!(sqlite.take(), ["sqlite: BEGIN", "sqlite: SELECT 'new'"]);
}
