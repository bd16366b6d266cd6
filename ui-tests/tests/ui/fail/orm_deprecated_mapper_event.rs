// The pre-1.0 loading events are deprecated: listening for one warns, here denied to make
// the warning the case's one error (`#[allow(deprecated)]` on the listener silences it).
#![deny(deprecated)]

use hooks_orm::{Mapper, QueryContext};
use hooks_sql::Value;

#[hooks::listens_for(Mapper, "translate_row")]
fn upper(_mapper: &Mapper, _context: &QueryContext<'_>, _row: &[Value]) -> Option<Vec<Value>> {
    None
}

fn main() {}
