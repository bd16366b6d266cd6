//! Listener modifiers: `retval`, `insert`, `once`, `named`, `propagate` and family-declared ones.

use std::fmt;

/// A set of listener modifiers, as given to `listen` at runtime.
///
/// The five core modifiers are constants that combine with `|`; modifiers a family declares
/// for itself (at most four per listener) are added by name with [`Modifiers::custom`].
///
/// Two sets are equal when they hold the same modifiers, whatever the order they were added
/// in: family modifiers are kept sorted by name.
///
/// ```
/// use hooks::Modifiers;
/// let m = Modifiers::INSERT | Modifiers::ONCE;
/// assert!(m.contains(Modifiers::ONCE));
/// assert_eq!(m.to_string(), "insert, once");
///
/// let a = Modifiers::NONE.custom("raw")?.custom("active_history")?;
/// let b = Modifiers::NONE.custom("active_history")?.custom("raw")?;
/// assert_eq!(a, b);
/// # Ok::<(), hooks::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Modifiers {
    bits: u8,
    /// Sorted, `None`s last, so that the derived equality ignores insertion order.
    custom: [Option<&'static str>; MAX_CUSTOM],
    /// Set when `|` had to drop a family modifier beyond the four it holds; `|` cannot fail, so
    /// the loss is kept here and reported by [`crate::EventInfo::check_modifiers`] when the set
    /// is used to listen.
    overflowed: bool,
}

pub(crate) const MAX_CUSTOM: usize = 4;

const CORE_NAMES: [(&str, u8); 5] = [
    ("retval", 1),
    ("insert", 2),
    ("once", 4),
    ("named", 8),
    ("propagate", 16),
];

impl Modifiers {
    /// No modifier.
    pub const NONE: Self = Self::from_bits(0);
    /// The listener's return value replaces the event's pass-through value.
    pub const RETVAL: Self = Self::from_bits(1);
    /// The listener runs before the listeners already registered at the same level.
    pub const INSERT: Self = Self::from_bits(2);
    /// The listener runs at most once, across all threads, and is then gone.
    pub const ONCE: Self = Self::from_bits(4);
    /// The listener takes one struct of the event's named arguments.
    pub const NAMED: Self = Self::from_bits(8);
    /// The listener is copied to targets derived from this one, as the family defines.
    pub const PROPAGATE: Self = Self::from_bits(16);

    /// The modifiers that change a listener's signature, and so select its form.
    pub(crate) const SIGNATURE: Self = Self::from_bits(1 | 8);

    pub(crate) const fn from_bits(bits: u8) -> Self {
        Self {
            bits,
            custom: [None; MAX_CUSTOM],
            overflowed: false,
        }
    }

    /// Adds a modifier the event's family declares for itself (such as `raw`).
    ///
    /// # Errors
    ///
    /// [`crate::Error::TooManyModifiers`] when the set already holds four family modifiers.
    pub fn custom(mut self, name: &'static str) -> Result<Self, crate::Error> {
        if self.custom.contains(&Some(name)) {
            return Ok(self);
        }
        let free = self
            .custom
            .iter_mut()
            .find(|slot| slot.is_none())
            .ok_or(crate::Error::TooManyModifiers { limit: MAX_CUSTOM })?;
        *free = Some(name);
        // `None` sorts before `Some`: sort by "is empty", then by name.
        self.custom
            .sort_unstable_by_key(|slot| (slot.is_none(), *slot));
        Ok(self)
    }

    /// Whether a `|` dropped a family modifier because the set already held four.
    pub(crate) const fn overflowed(&self) -> bool {
        self.overflowed
    }

    /// Parses a modifier by name: a core one or, otherwise, a family modifier.
    ///
    /// # Errors
    ///
    /// As [`Modifiers::custom`].
    pub fn with_name(self, name: &'static str) -> Result<Self, crate::Error> {
        match CORE_NAMES.iter().find(|(n, _)| *n == name) {
            Some(&(_, bit)) => Ok(self | Self::from_bits(bit)),
            None => self.custom(name),
        }
    }

    /// Whether every core modifier of `other` is in `self`.
    #[must_use]
    pub const fn contains(self, other: Self) -> bool {
        self.bits & other.bits == other.bits
    }

    /// Whether the family modifier `name` is in the set.
    #[must_use]
    pub fn has_custom(&self, name: &str) -> bool {
        self.custom.iter().flatten().any(|n| *n == name)
    }

    /// Every modifier in the set, by name, core ones first.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        CORE_NAMES
            .iter()
            .filter(|(_, bit)| self.bits & bit != 0)
            .map(|(n, _)| *n)
            .chain(self.custom.iter().flatten().copied())
    }

    /// The core modifiers of `self` that are also in `other`, without family ones.
    #[must_use]
    pub(crate) const fn only(self, other: Self) -> Self {
        Self::from_bits(self.bits & other.bits)
    }

    /// The set without the core modifiers of `other`.
    #[must_use]
    pub const fn without(self, other: Self) -> Self {
        Self {
            bits: self.bits & !other.bits,
            ..self
        }
    }
}

impl std::ops::BitOr for Modifiers {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        let mut out = Self {
            bits: self.bits | rhs.bits,
            overflowed: self.overflowed || rhs.overflowed,
            ..self
        };
        for name in rhs.custom.iter().flatten() {
            match out.custom(name) {
                Ok(more) => out = more,
                Err(_) => out.overflowed = true,
            }
        }
        out
    }
}

impl fmt::Display for Modifiers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for name in self.names() {
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            f.write_str(name)?;
        }
        if first {
            f.write_str("(none)")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Modifiers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Modifiers({self})")
    }
}
