//! What the instance-event tests share: a recorder of every `InstanceEvents` event on one
//! mapped class, as `event detail` lines in a trace shared with the session and Core
//! recorders of `object_trace`. Class listeners are process-wide: each test is alone in its
//! binary, as `tests/tests/suite_isolation.rs` asks.

#![allow(dead_code, unused_imports, reason = "each test binary uses part of it")]

use std::sync::Arc;

use hooks::{Accepts, Class};
use hooks_orm::{InstanceEvents, Mapped, Obj, instance_events as ie};

use super::object_trace::{Labels, Trace, push};

/// `None` as SQLAlchemy prints "all attributes", else the names.
pub(crate) fn attrs(attrs: Option<&[&str]>) -> String {
    attrs.map_or_else(|| "all".to_owned(), |names| names.join(","))
}

/// Records the instance events of class `T` into `trace`; objects are named by `labels`.
/// The listeners stay for the rest of the process (each test is alone in its binary).
pub(crate) fn record_instance<T>(trace: &Trace, labels: &Labels)
where
    T: Accepts<dyn InstanceEvents> + Mapped,
{
    let class = || Class::<T>::new();
    let t = Arc::clone(trace);
    ie::first_init
        .listen(class(), move |c| {
            push(&t, format!("first_init {}", c.class_name));
        })
        .unwrap();
    let t = Arc::clone(trace);
    ie::init
        .listen(class(), move |c, args| {
            push(&t, format!("init {} {args:?}", c.class_name));
        })
        .unwrap();
    let t = Arc::clone(trace);
    ie::init_failure
        .listen(class(), move |c, error| {
            push(&t, format!("init_failure {} {error}", c.class_name));
        })
        .unwrap();
    let (t, l) = (Arc::clone(trace), labels.clone());
    ie::load
        .listen(class(), move |target, _| {
            push(&t, format!("load {}", l.of(target)));
            Ok(())
        })
        .unwrap();
    let (t, l) = (Arc::clone(trace), labels.clone());
    ie::refresh
        .listen(class(), move |target, _, names| {
            push(&t, format!("refresh {} {}", l.of(target), attrs(names)));
            Ok(())
        })
        .unwrap();
    let (t, l) = (Arc::clone(trace), labels.clone());
    ie::refresh_flush
        .listen(class(), move |target, _, names| {
            push(
                &t,
                format!("refresh_flush {} {}", l.of(target), names.join(",")),
            );
        })
        .unwrap();
    let (t, l) = (Arc::clone(trace), labels.clone());
    ie::expire
        .listen(class(), move |target, names| {
            push(&t, format!("expire {} {}", l.of(target), attrs(names)));
        })
        .unwrap();
}

/// The `Obj<T>` an event passed.
pub(crate) fn obj<T: Mapped + Send + Sync>(target: &hooks_orm::AnyInstance) -> Obj<T> {
    target.downcast_ref::<Obj<T>>().unwrap().clone()
}
