//! Names the plugin (and nothing in it): every plugin listener must be linked, listed by the
//! audit and fire. Exit code 0 when so, 1 otherwise.

use lm_plugin as _;

fn main() {
    let ran = lm_family::fire();
    let missing = lm_family::missing_from_audit();
    let mut ok = missing.is_empty();
    for (module, name) in lm_family::PLUGIN_LISTENERS {
        if !ran.contains(&name) {
            eprintln!("lm-app: {module}::{name} did not fire");
            ok = false;
        }
    }
    if ran.len() != lm_family::PLUGIN_LISTENERS.len() {
        eprintln!("lm-app: expected each listener once, ran {ran:?}");
        ok = false;
    }
    for m in &missing {
        eprintln!("lm-app: audit does not list {m}");
    }
    println!(
        "lm-app: fired {}/{} {ran:?}",
        ran.len(),
        lm_family::PLUGIN_LISTENERS.len()
    );
    std::process::exit(i32::from(!ok));
}
