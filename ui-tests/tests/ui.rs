//! Compile-error snapshots of the `hooks` macros: every misuse in `ui/fail` must give one error
//! on the user's token, in rustc's wording; every case in `ui/pass` must build and run.
//!
//! Diagnostics drift between compiler versions, so the snapshots are checked on the toolchain
//! they were taken with only. Refresh them with `TRYBUILD=overwrite cargo test -p ui-tests`,
//! then read every `.stderr` as a user would.

#[rustversion::attr(not(stable(1.95)), ignore = "ui snapshots are pinned to rustc 1.95")]
#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
