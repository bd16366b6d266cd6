//! Fixtures shared by the integration tests: event families and a call recorder.

use std::sync::Mutex;

/// Records calls, in order, as strings.
#[derive(Default)]
pub struct Recorder(Mutex<Vec<String>>);

impl Recorder {
    /// An empty recorder, usable in a `static`.
    pub const fn new() -> Self {
        Self(Mutex::new(Vec::new()))
    }

    /// Appends one call.
    pub fn push(&self, call: impl Into<String>) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(call.into());
    }

    /// Takes every call recorded so far.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(
            &mut *self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }
}

/// Declares fresh target types of one family, each with its own class-level listeners, so that
/// tests running in parallel do not see each other's class-level registrations.
///
/// `tests::targets!(MyEvents: A, B, C);` declares `pub struct A { events: Events<dyn MyEvents> }`
/// (and `B`, `C`), each `Default` and a `#[hooks::target(MyEvents(events = events))]`.
#[macro_export]
macro_rules! targets {
    ($family:ident: $($name:ident),+ $(,)?) => {$(
        #[doc = concat!("A target of `", stringify!($family), "` of its own.")]
        #[::hooks::target($family(events = events))]
        #[derive(Default)]
        pub struct $name {
            events: ::hooks::Events<dyn $family>,
        }
    )+};
}

/// Fails the whole test process if it is still alive when the timeout elapses: the deadlock
/// guard of the reliability tests. Dropping it (the test finished) disarms it.
pub struct Watchdog {
    disarm: Option<std::sync::mpsc::Sender<()>>,
}

impl Watchdog {
    /// Arms a watchdog for the test called `name`.
    pub fn new(name: &'static str, timeout: std::time::Duration) -> Self {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        std::thread::spawn(move || {
            if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(timeout) {
                eprintln!(
                    "watchdog: `{name}` still running after {timeout:?}: deadlock or livelock"
                );
                std::process::exit(101);
            }
        });
        Self { disarm: Some(tx) }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        if let Some(tx) = self.disarm.take() {
            let _ = tx.send(());
        }
    }
}

/// Silences the default panic hook's report of the panics a test provokes on purpose (those
/// whose message starts with `boom`); any other panic is still reported.
pub fn silence_expected_panics() {
    static SET: std::sync::Once = std::sync::Once::new();
    SET.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let message = payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(String::as_str));
            if !message.is_some_and(|m| m.starts_with("boom")) {
                default(info);
            }
        }));
    });
}

/// Targets and a family declared by macro expansion, as a derive declares them: the
/// `declare_target!` and `#[hooks::events]` tables are then macro-expanded `macro_export`
/// macros, which other modules and crates reach through the re-export under the type's name.
pub mod generated {
    /// What a derive emits for one struct: a family of its own, and the struct made a target
    /// of it and of a shared family, without annotating the struct.
    macro_rules! generate_model {
        ($model:ident, $family:ident) => {
            /// A generated family.
            #[hooks::events]
            pub trait $family {
                /// A generated event.
                fn saved(id: u32);
            }

            /// A struct a derive made a target.
            #[derive(Default)]
            pub struct $model {
                events: hooks::Events<dyn $family>,
            }

            hooks::declare_target!(pub $model: $family(events = events), SharedEvents(class_only));
        };
    }

    /// A family every generated model takes at class level.
    #[hooks::events]
    pub trait SharedEvents {
        /// Shared by the models.
        fn touched(id: u32);
    }

    generate_model!(Model, ModelEvents);
    generate_model!(OtherModel, OtherModelEvents);

    /// What the listeners in this crate recorded.
    pub static SEEN: crate::Recorder = crate::Recorder::new();

    /// A listener in another module of the crate that generated the target.
    mod listeners {
        #[hooks::listens_for(super::Model, "saved")]
        fn same_crate_saved(id: u32) {
            super::SEEN.push(format!("same crate saved {id}"));
        }

        #[hooks::listens_for(crate::generated::Model, "touched")]
        fn same_crate_touched(id: u32) {
            super::SEEN.push(format!("same crate touched {id}"));
        }
    }
}
