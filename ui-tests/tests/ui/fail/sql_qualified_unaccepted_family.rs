use hooks::listens_for;
use hooks_sql::{ConnectionRecord, DbapiConnection, Dialect};

#[listens_for(Dialect, "PoolEvents.checkin")]
fn on_checkin(_dbapi: Option<&DbapiConnection>, _record: &ConnectionRecord) {}

fn main() {}
