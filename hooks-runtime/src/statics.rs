//! Listeners registered at compile time by `#[listens_for]`, collected by the linker.

use std::any::TypeId;
use std::fmt;

use linkme::distributed_slice;

use crate::Modifiers;
use crate::registry::Installer;

/// Every `#[listens_for]` of every linked crate, in link order (which is not an order we use:
/// the registry sorts them, see [`StaticListener::sort_key`]).
#[distributed_slice]
pub static STATIC_LISTENERS: [StaticListener];

/// One `#[listens_for]`: what it listens to, where it is written, and how to install it.
#[derive(Debug)]
pub struct StaticListener {
    /// The target as written, e.g. `"Engine"`.
    pub target: &'static str,
    /// The event's name.
    pub event: &'static str,
    /// The family declaring the event.
    pub family: &'static str,
    /// The listener fn's name.
    pub listener: &'static str,
    /// `module_path!()` where the listener is written.
    pub module_path: &'static str,
    /// `file!()` where the listener is written.
    pub file: &'static str,
    /// `line!()` of the attribute.
    pub line: u32,
    /// `column!()` of the attribute.
    pub column: u32,
    /// The modifiers, by name.
    pub modifier_names: &'static [&'static str],
    #[doc(hidden)]
    pub install: fn(&mut Installer<'_>, &'static StaticListener),
    #[doc(hidden)]
    pub key: fn() -> TypeId,
}

impl StaticListener {
    /// The modifiers as a set.
    #[must_use]
    pub fn modifiers(&self) -> Modifiers {
        self.modifier_names
            .iter()
            .fold(Modifiers::NONE, |m, name| m.with_name(name).unwrap_or(m))
    }

    /// The documented order of static listeners within one target and event: by module path,
    /// then listener name, then position in the file (`insert` ones come first, in this order
    /// too).
    #[must_use]
    pub fn sort_key(&self) -> (&'static str, &'static str, u32, u32, &'static str) {
        (
            self.module_path,
            self.listener,
            self.line,
            self.column,
            self.event,
        )
    }
}

impl fmt::Display for StaticListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}::{} listens for {} \"{}\" ({}) at {}:{}",
            self.module_path,
            self.listener,
            self.target,
            self.event,
            self.family,
            self.file,
            self.line
        )?;
        if !self.modifier_names.is_empty() {
            write!(f, " [{}]", self.modifier_names.join(", "))?;
        }
        Ok(())
    }
}

/// Every static listener linked into this binary, in the registry's order.
///
/// A crate that the binary never names is not linked, and its listeners are silently absent
/// (see the manual's "crate not linked"): call this at startup to check that the listeners you
/// expect are there.
#[must_use]
pub fn static_listeners() -> Vec<&'static StaticListener> {
    crate::registry::lock().statics().to_vec()
}
