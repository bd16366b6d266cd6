use hooks::listens_for;
use hooks_sql::{ConnectionRecord, DbapiConnection, Error, PoolEvents};

#[listens_for(PoolEvents, "connect")]
fn on_connect(_dbapi: &DbapiConnection, _record: &ConnectionRecord) -> Result<(), Error> {
    Ok(())
}

fn main() {}
