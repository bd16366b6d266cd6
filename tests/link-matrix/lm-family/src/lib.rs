//! Link matrix host: one family, one target, and a record of which listeners ran.

use std::sync::Mutex;

/// The events of a [`Host`].
#[hooks::events]
pub trait PluginEvents {
    /// A ping, with a sequence number.
    fn ping(n: u32);
}

/// The target.
#[hooks::target(PluginEvents(events = events))]
#[derive(Default)]
pub struct Host {
    events: hooks::Events<dyn PluginEvents>,
}

/// What a derive emits: a struct made a target by `hooks::declare_target!` inside a macro's
/// expansion, whose table is a macro-expanded `macro_export` macro reached by the re-export.
macro_rules! derive_like {
    ($name:ident) => {
        /// A target declared without annotating it, at class level only.
        #[derive(Default)]
        pub struct $name;

        hooks::declare_target!(pub $name: PluginEvents(class_only));
    };
}

derive_like!(Generated);

/// Names of the listeners that ran, in order.
pub static RAN: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

/// Records that `listener` ran.
pub fn ran(listener: &'static str) {
    RAN.lock().unwrap().push(listener);
}

/// The listeners `lm-plugin` declares, as `(module_path, fn name)`.
pub const PLUGIN_LISTENERS: [(&str, &str); 5] = [
    ("lm_plugin::outer::inner", "deep_ping"),
    ("lm_plugin::outer::inner::innermost", "deeper_ping"),
    ("lm_plugin::other", "other_ping"),
    ("lm_plugin::generated", "generated_ping"),
    ("lm_plugin::generated::imported", "imported_generated_ping"),
];

/// Fires `ping` on a fresh host and on the generated target's class, and returns the
/// listeners that ran.
pub fn fire() -> Vec<&'static str> {
    RAN.lock().unwrap().clear();
    let host = Host::default();
    hooks::HasEvents::dispatch(&host).ping(1);
    hooks::Class::<Generated>::new()
        .dispatch::<dyn PluginEvents>()
        .ping(2);
    std::mem::take(&mut *RAN.lock().unwrap())
}

/// Which of [`PLUGIN_LISTENERS`] the audit API `hooks::static_listeners()` does not list.
pub fn missing_from_audit() -> Vec<String> {
    let linked = hooks::static_listeners();
    PLUGIN_LISTENERS
        .iter()
        .filter(|(module, name)| {
            !linked
                .iter()
                .any(|l| l.module_path == *module && l.listener == *name && l.event == "ping")
        })
        .map(|(module, name)| format!("{module}::{name}"))
        .collect()
}
