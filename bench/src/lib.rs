//! Benchmarks of `hooks` (see BENCHMARKS.md).
