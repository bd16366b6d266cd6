//! The hand-written part of the report: the method, the harness choice, and why goals are
//! missed (from reading the hot path).

/// Appended to every report.
pub const TEXT: &str = include_str!("analysis.md");
