//! A recorder of every ORM event fired on one registry, as `event class[ key]` lines.

#![allow(dead_code, reason = "each test binary uses part of it")]

use std::sync::{Arc, Mutex};

use hooks_orm::{Registry, instrumentation_events as ie, mapper_events as me};

pub(crate) type Trace = Arc<Mutex<Vec<String>>>;

pub(crate) fn lines(trace: &Trace) -> Vec<String> {
    trace.lock().unwrap().clone()
}

fn push(trace: &Trace, line: String) {
    trace.lock().unwrap().push(line);
}

/// Listens on `registry` for all nine events; `skip` names classes whose
/// `before_mapper_configured` returns true.
pub(crate) fn record(registry: &Registry, skip: &'static [&'static str]) -> Trace {
    let trace = Trace::default();
    let t = Arc::clone(&trace);
    me::instrument_class
        .listen(registry, move |_, c| {
            push(&t, format!("instrument_class {}", c.class_name));
        })
        .unwrap();
    let t = Arc::clone(&trace);
    ie::class_instrument
        .listen(registry, move |_, c| {
            push(&t, format!("class_instrument {}", c.class_name));
        })
        .unwrap();
    let t = Arc::clone(&trace);
    ie::attribute_instrument
        .listen(registry, move |_, c, key, _| {
            push(&t, format!("attribute_instrument {} {key}", c.class_name));
        })
        .unwrap();
    let t = Arc::clone(&trace);
    me::after_mapper_constructed
        .listen(registry, move |_, c| {
            push(&t, format!("after_mapper_constructed {}", c.class_name));
        })
        .unwrap();
    let t = Arc::clone(&trace);
    me::before_configured
        .listen(registry, move || push(&t, "before_configured".into()))
        .unwrap();
    let t = Arc::clone(&trace);
    me::before_mapper_configured
        .listen(registry, move |_, c| {
            push(&t, format!("before_mapper_configured {}", c.class_name));
            skip.contains(&c.class_name)
        })
        .unwrap();
    let t = Arc::clone(&trace);
    me::mapper_configured
        .listen(registry, move |m, c| {
            assert!(
                m.is_configured(),
                "mapper_configured sees a configured mapper"
            );
            push(&t, format!("mapper_configured {}", c.class_name));
            Ok(())
        })
        .unwrap();
    let t = Arc::clone(&trace);
    me::after_configured
        .listen(registry, move || push(&t, "after_configured".into()))
        .unwrap();
    let t = Arc::clone(&trace);
    ie::class_uninstrument
        .listen(registry, move |_, c| {
            push(&t, format!("class_uninstrument {}", c.class_name));
        })
        .unwrap();
    trace
}
