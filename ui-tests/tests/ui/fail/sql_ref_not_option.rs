use hooks::listens_for;
use hooks_sql::{ConnectionRecord, DbapiConnection, Pool};

#[listens_for(Pool, "checkin")]
fn on_checkin(_dbapi: &DbapiConnection, _record: &ConnectionRecord) {}

fn main() {}
