// `do_orm_execute` is halting: its listener answers `Option<CursorResult>` (`Some` is the
// result the execution returns without running anything), not a `bool`.
use hooks_orm::{OrmExecuteState, Session};

#[hooks::listens_for(Session, "do_orm_execute")]
fn cache(_state: &mut OrmExecuteState<'_>) -> bool {
    false
}

fn main() {}
