//! Depends on the plugin but never names it, so the plugin is not linked and its listeners are
//! silently absent. The point: the audit API `hooks::static_listeners()` catches it.
//!
//! Prints which listeners the audit reports missing. Exit code 0 when the audit agrees with
//! what actually fires (missing ones caught, or none missing), 1 when it does not (a listener
//! that fires but is not listed, or one listed that does not fire).

fn main() {
    let ran = lm_family::fire();
    let missing = lm_family::missing_from_audit();
    let mut ok = true;
    for (module, name) in lm_family::PLUGIN_LISTENERS {
        let full = format!("{module}::{name}");
        let fired = ran.contains(&name);
        let listed = !missing.contains(&full);
        if fired != listed {
            eprintln!(
                "lm-app-unlinked: audit disagrees for {full}: fired {fired}, listed {listed}"
            );
            ok = false;
        }
    }
    if missing.is_empty() {
        println!("lm-app-unlinked: all {} plugin listeners linked", ran.len());
    } else {
        println!(
            "lm-app-unlinked: audit caught {} missing: {}",
            missing.len(),
            missing.join(", ")
        );
    }
    std::process::exit(i32::from(!ok));
}
