//! The adapter's errors: a listener's refusal, and the manager's error.

use std::error::Error as StdError;
use std::fmt;

/// A listener's verdict that a connection is unusable (SQLAlchemy's
/// `DisconnectionError`): returned by `connect`, `first_connect`,
/// `checkout` or `reset` listeners.
#[derive(Debug)]
pub struct DisconnectionError {
    message: String,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl DisconnectionError {
    /// A refusal with this message.
    pub fn new(message: impl Into<String>) -> Self {
        DisconnectionError {
            message: message.into(),
            source: None,
        }
    }

    /// A refusal caused by `source` (a failed ping, say).
    pub fn caused_by(
        message: impl Into<String>,
        source: impl StdError + Send + Sync + 'static,
    ) -> Self {
        DisconnectionError {
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<&str> for DisconnectionError {
    fn from(message: &str) -> Self {
        DisconnectionError::new(message)
    }
}

impl From<String> for DisconnectionError {
    fn from(message: String) -> Self {
        DisconnectionError::new(message)
    }
}

impl fmt::Display for DisconnectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for DisconnectionError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// The error of a [`HooksManager`](crate::HooksManager): the wrapped
/// manager's own, or a listener's refusal. r2d2 hands it to its error
/// handler and keeps its text as the reason of a checkout timeout.
#[derive(Debug)]
pub enum Error<E> {
    /// The wrapped manager failed (`connect` or `is_valid`).
    Manager(E),
    /// A listener refused the connection.
    Refused(DisconnectionError),
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Manager(e) => e.fmt(f),
            Error::Refused(e) => write!(f, "a listener refused the connection: {e}"),
        }
    }
}

impl<E: StdError + 'static> StdError for Error<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Manager(e) => Some(e),
            Error::Refused(e) => Some(e),
        }
    }
}
