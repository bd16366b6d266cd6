//! `hooks::declare_target!`: a type made a target without annotating it, as a derive does.
//! Families and targets emitted by macro expansion (`tests::generated`, another crate) take
//! `#[listens_for]` listeners from the crate that declared them, from this crate by full path
//! and by import, and at runtime; a `class_only` family takes class-level listeners only and
//! refuses a value by name with a typed error (at compile time: a ui case).

use hooks::{Class, DynListener, Error, HasEvents, Modifiers};
use tests::Recorder;
use tests::generated::{
    Model, ModelEvents, OtherModel, SEEN, SharedEvents, model_events, shared_events,
};

#[hooks::listens_for(tests::generated::Model, "saved")]
fn other_crate_saved_by_path(id: u32) {
    SEEN.push(format!("other crate saved {id}"));
}

mod imported {
    use tests::generated::Model;

    #[hooks::listens_for(Model, "touched")]
    fn other_crate_touched_by_import(id: u32) {
        tests::generated::SEEN.push(format!("other crate touched {id}"));
    }
}

#[test]
fn listeners_in_every_crate_and_module_fire_in_the_documented_order() {
    let model = Model::default();
    let _own = model_events::saved
        .listen(&model, |id| SEEN.push(format!("instance saved {id}")))
        .unwrap();
    HasEvents::<dyn ModelEvents>::dispatch(&model).saved(1);
    // Static listeners sorted by module path: `core_declare_target` before `tests::generated`.
    assert_eq!(
        SEEN.take(),
        [
            "other crate saved 1",
            "same crate saved 1",
            "instance saved 1"
        ]
    );
    Class::<Model>::new()
        .dispatch::<dyn SharedEvents>()
        .touched(2);
    assert_eq!(
        SEEN.take(),
        ["other crate touched 2", "same crate touched 2"]
    );
}

fn touched_fn(_: u32) {}

/// The by-name form of a `touched` listener.
type Touched = std::sync::Arc<dyn Fn(u32) + Send + Sync>;

#[test]
fn a_class_only_family_takes_class_listeners_and_refuses_a_value_by_name() {
    static CALLS: Recorder = Recorder::new();
    let _class = shared_events::touched
        .listen(Class::<OtherModel>::new(), |id| {
            CALLS.push(format!("class {id}"));
        })
        .unwrap();
    let value = OtherModel::default();
    let listener: Touched = std::sync::Arc::new(|_| {});
    let err = hooks::listen_by_name(
        &value,
        "touched",
        DynListener::new(listener),
        Modifiers::NONE,
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::ClassOnly {
            target: "OtherModel",
            family: "SharedEvents"
        }
    );
    assert_eq!(
        err.to_string(),
        "`OtherModel` takes listeners of `SharedEvents` at class level only; listen on the type \
         (`hooks::Class::<OtherModel>::new()`, or by name on it)"
    );
    assert!(!hooks::contains_by_name(&value, "touched", &touched_fn).unwrap());
    // A value fires the class level of a class-only family, and nothing of its own.
    HasEvents::<dyn SharedEvents>::dispatch(&value).touched(3);
    assert_eq!(CALLS.take(), ["class 3"]);
}
