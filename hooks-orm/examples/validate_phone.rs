//! An attribute validator (SQLAlchemy's `@validates`, written as a `set` listener with
//! `retval=True`): every write of `User::phone` is cleaned to its digits, and a value with no
//! digit is vetoed — the write returns the listener's error and stores nothing. The rows
//! SQLite holds are printed at the end.
//!
//! `cargo run -p hooks-orm --example validate_phone`

use hooks_orm::{
    Initiator, ListenerError, Mapped, Obj, Registry, Session, SessionError, SessionOptions,
};
use hooks_sql::create_engine;

#[derive(Mapped, Debug)]
#[mapped(table = "users")]
struct User {
    #[column(primary_key)]
    id: Option<i64>,
    name: String,
    // A target of its own, for the listener below.
    #[column(listen)]
    phone: String,
}

// A static listener on the attribute (SQLAlchemy's `User.phone`): the value is the field's
// `String`, and rustc checks that the listener takes and returns one.
#[hooks::listens_for(User::phone, "set", retval)]
fn validate_phone(
    _target: &Obj<User>,
    value: &String,
    oldvalue: &String,
    _initiator: &Initiator,
) -> Result<String, ListenerError> {
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    println!("  set phone {value:?} (was {oldvalue:?}) -> {digits:?}");
    if digits.is_empty() {
        return Err(ListenerError::new(format!("{value:?} has no digits")));
    }
    Ok(digits)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = create_engine("sqlite://")?;
    let registry = Registry::new();
    registry.map::<User>()?;
    registry.configure()?;
    registry.create_all(&engine)?;
    let session = Session::with_options(&engine, SessionOptions::new().registry(&registry));

    let ed = Obj::new(User {
        id: None,
        name: "ed".into(),
        phone: String::new(),
    });
    ed.set_attr("phone", "+1 (555) 010-2030")?;
    match ed.set_attr("phone", "n/a") {
        Err(SessionError::Listener { event, source }) => {
            println!(
                "  vetoed by {event}: {source}; phone is still {:?}",
                ed.read()?.phone
            );
        }
        other => return Err(format!("expected a veto, got {other:?}").into()),
    }
    session.add(&ed)?;
    session.commit()?;

    let rows = session.execute("SELECT id, name, phone FROM users", ())?;
    for row in rows.rows() {
        println!("row {:?}", row.values());
    }
    Ok(())
}
