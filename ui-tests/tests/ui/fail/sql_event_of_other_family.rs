use hooks::listens_for;
use hooks_sql::{Connection, ConnectionRecord, DbapiConnection, DisconnectionError, PoolProxiedConnection};

#[listens_for(Connection, "checkout")]
fn on_checkout(
    _dbapi: &DbapiConnection,
    _record: &ConnectionRecord,
    _proxy: &PoolProxiedConnection,
) -> Result<(), DisconnectionError> {
    Ok(())
}

fn main() {}
