//! Benchmarks of `hooks` against the physical floor and peer designs (see BENCHMARKS.md and
//! `cargo run --release -p hooks-bench -- --help`).

pub mod analysis;
pub mod cases;
pub mod compile;
pub mod generate;
pub mod harness;
pub mod host;
pub mod model;
pub mod orm;
pub mod report;
