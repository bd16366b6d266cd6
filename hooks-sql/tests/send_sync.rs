//! The thread-safety of the public types, asserted at compile time: a type that stops being
//! `Send` or `Sync` fails this test's build, not a user's.

use hooks_sql::{
    Connection, ConnectionRecord, DbapiConnection, DbapiError, Engine, Error, Pool, Url, Value,
};

const fn send_sync<T: Send + Sync>() {}
const fn send<T: Send>() {}

#[test]
fn the_shared_types_are_send_and_sync() {
    const {
        send_sync::<Engine>();
        send_sync::<Pool>();
        send_sync::<Url>();
        send_sync::<Value>();
        send_sync::<Error>();
        send_sync::<DbapiError>();
        send_sync::<ConnectionRecord>();
        send_sync::<hooks::Modifiers>();
        send_sync::<hooks::ListenerHandle>();
        send_sync::<hooks::Error>();
        send_sync::<hooks::DynListener>();
        send_sync::<hooks::Events<dyn hooks_sql::events::PoolEvents>>();
    }
}

#[test]
fn a_connection_moves_between_threads() {
    const {
        send::<Connection>();
        send::<DbapiConnection>();
    }
}

const fn debug<T: std::fmt::Debug>() {}

#[test]
fn the_public_types_and_the_generated_ones_are_debug() {
    use hooks_sql::{connection_events, pool_events};
    const {
        debug::<Engine>();
        debug::<Pool>();
        debug::<Connection>();
        debug::<ConnectionRecord>();
        debug::<hooks::ScopedListener>();
        debug::<hooks::Dispatch<'static, dyn hooks_sql::events::PoolEvents>>();
        // What `#[hooks::events]` generates: markers, dispatchers, slots, named arguments.
        debug::<pool_events::checkout>();
        debug::<pool_events::Dispatcher<'static>>();
        debug::<pool_events::Slots>();
        debug::<pool_events::ExecOnceStates>();
        debug::<connection_events::BeforeCursorExecuteArgs<'static>>();
    }
}
