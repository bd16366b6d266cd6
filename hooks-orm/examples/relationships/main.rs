//! Relationships and their events: `cargo run -p hooks-orm --example relationships`.
//!
//! Appends to a one-to-many collection, moves a child by setting its many-to-one reference
//! (the backref removes it from the old parent and appends it to the new one, each event
//! carrying the initiator of the change that started it) and removes one (a delete-orphan
//! cascade deletes its row at the flush). Prints the trace and the rows.

mod story;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (trace, rows) = story::run("sqlite://")?;
    for line in trace {
        println!("{line}");
    }
    println!("addresses: {rows:?}");
    Ok(())
}
