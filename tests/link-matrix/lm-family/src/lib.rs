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

/// Names of the listeners that ran, in order.
pub static RAN: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

/// Records that `listener` ran.
pub fn ran(listener: &'static str) {
    RAN.lock().unwrap().push(listener);
}

/// The listeners `lm-plugin` declares, as `(module_path, fn name)`.
pub const PLUGIN_LISTENERS: [(&str, &str); 3] = [
    ("lm_plugin::outer::inner", "deep_ping"),
    ("lm_plugin::outer::inner::innermost", "deeper_ping"),
    ("lm_plugin::other", "other_ping"),
];

/// Fires `ping` on a fresh host and returns the listeners that ran.
pub fn fire() -> Vec<&'static str> {
    RAN.lock().unwrap().clear();
    let host = Host::default();
    hooks::HasEvents::dispatch(&host).ping(1);
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
