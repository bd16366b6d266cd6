use hooks::listens_for;
use hooks_sql::{Connection, ConnectionRecord, DbapiConnection, Error};

#[listens_for(Connection, "connect")]
fn on_connect(_dbapi: &DbapiConnection, _record: &ConnectionRecord) -> Result<(), Error> {
    Ok(())
}

fn main() {}
