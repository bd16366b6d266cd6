use hooks::listens_for;
use hooks_sql::{ConnectionRecord, Pool};

// The types differ inside `Option<…>`: left to rustc, whose error names both.
#[listens_for(Pool, "checkin")]
fn on_checkin(_dbapi: Option<&ConnectionRecord>, _record: &ConnectionRecord) {}

fn main() {}
