//! The few atomic operations the runtime's lock-free protocols are written against: the
//! exec-once state, the `once` claim and a slot's state bits.
//!
//! The protocols are generic over these traits so that one copy of their code runs in two
//! worlds: on std's atomics in the runtime, and on loom's in the model checks (the `loom`
//! feature, enabled by the `tests` crate only), where loom explores every interleaving of the
//! runtime's own code rather than of a replica. Nothing else in the crate sees the traits.

use std::sync::atomic::Ordering;

/// A boolean cell (`AtomicBool`).
pub trait Flag: Send + Sync {
    /// Loads the value.
    fn load(&self, order: Ordering) -> bool;
    /// Stores `value`.
    fn store(&self, value: bool, order: Ordering);
    /// Stores `value`, returning the previous one.
    fn swap(&self, value: bool, order: Ordering) -> bool;
}

/// A word cell (`AtomicU64`).
pub trait Word: Send + Sync {
    /// Loads the value.
    fn load(&self, order: Ordering) -> u64;
    /// Stores `value`.
    fn store(&self, value: u64, order: Ordering);
}

/// A byte cell (`AtomicU8`).
pub trait Bits: Send + Sync {
    /// Loads the value.
    fn load(&self, order: Ordering) -> u8;
    /// Stores `value`.
    fn store(&self, value: u8, order: Ordering);
}

/// A lock that serialises runs (`Mutex<()>`); a poisoned lock is still a lock.
pub trait Serial: Send + Sync {
    /// Held for as long as it lives.
    type Guard<'a>
    where
        Self: 'a;
    /// Waits for the lock.
    fn serial(&self) -> Self::Guard<'_>;
}

/// Implements the cell traits for one family of atomics (std's, loom's).
macro_rules! cells {
    ($bool:ty, $word:ty, $bits:ty, $mutex:ty, $guard:ident) => {
        impl Flag for $bool {
            #[inline]
            fn load(&self, order: Ordering) -> bool {
                <$bool>::load(self, order)
            }
            #[inline]
            fn store(&self, value: bool, order: Ordering) {
                <$bool>::store(self, value, order);
            }
            #[inline]
            fn swap(&self, value: bool, order: Ordering) -> bool {
                <$bool>::swap(self, value, order)
            }
        }

        impl Word for $word {
            #[inline]
            fn load(&self, order: Ordering) -> u64 {
                <$word>::load(self, order)
            }
            #[inline]
            fn store(&self, value: u64, order: Ordering) {
                <$word>::store(self, value, order);
            }
        }

        impl Bits for $bits {
            #[inline]
            fn load(&self, order: Ordering) -> u8 {
                <$bits>::load(self, order)
            }
            #[inline]
            fn store(&self, value: u8, order: Ordering) {
                <$bits>::store(self, value, order);
            }
        }

        impl Serial for $mutex {
            type Guard<'a> = $guard<'a, ()>;
            fn serial(&self) -> Self::Guard<'_> {
                self.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
            }
        }
    };
}

use std::sync::MutexGuard;
cells!(
    std::sync::atomic::AtomicBool,
    std::sync::atomic::AtomicU64,
    std::sync::atomic::AtomicU8,
    std::sync::Mutex<()>,
    MutexGuard
);

#[cfg(feature = "loom")]
mod loom_cells {
    use super::{Bits, Flag, Ordering, Serial, Word};
    use loom::sync::MutexGuard;
    cells!(
        loom::sync::atomic::AtomicBool,
        loom::sync::atomic::AtomicU64,
        loom::sync::atomic::AtomicU8,
        loom::sync::Mutex<()>,
        MutexGuard
    );
}

/// Claims the right to run a `once` listener whose flag is `fired`: exactly one caller, across
/// threads, ever gets `true`.
#[inline]
pub fn claim_once<B: Flag>(fired: &B) -> bool {
    !fired.swap(true, Ordering::AcqRel)
}

/// Whether the `once` listener whose flag is `fired` has been claimed.
#[inline]
pub fn is_claimed<B: Flag>(fired: &B) -> bool {
    fired.load(Ordering::Acquire)
}

/// A slot's state bits: written under the registry lock after the slot's listeners changed,
/// read by every fire with one relaxed load before it reads the listeners.
#[derive(Debug)]
pub struct StateBits<A>(A);

impl<A: Bits> StateBits<A> {
    /// The bits `cell` holds.
    pub const fn new(cell: A) -> Self {
        Self(cell)
    }

    /// The bits, as a fire reads them.
    #[inline]
    pub fn get(&self) -> u8 {
        self.0.load(Ordering::Relaxed)
    }

    /// Publishes new bits (under the registry lock, after the listeners they describe).
    pub fn publish(&self, bits: u8) {
        self.0.store(bits, Ordering::Release);
    }
}
