use hooks::listens_for;
use hooks_sql::{ConnectionRecord, DbapiConnection, Pool};

#[listens_for(Pool, "connect")]
fn on_connect(_dbapi: &DbapiConnection, _record: &ConnectionRecord) {}

fn main() {}
