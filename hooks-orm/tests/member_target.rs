//! Attribute targets: `#[listens_for(Contact::phone, "set", retval)]` hears the writes of one
//! column, with the value as the field's type. The attribute's listeners run before the
//! class-level `set` (which receives the value they returned), a veto stores nothing and
//! fires nothing after it, `modified` on another attribute's target does not fire, and what a
//! `retval` listener returned is the row SQLite holds after the commit.

#[path = "session_trace/mod.rs"]
mod session_trace;

use session_trace::{StaticTrace, committed_text_pairs};

use hooks_orm::{
    Initiator, ListenerError, Mapped, Obj, Registry, Session, SessionError, SessionOptions,
};
use hooks_sql::{Value, create_engine};

/// A contact: its phone is kept as digits only.
#[derive(Mapped, Debug)]
#[mapped(table = "contacts")]
pub struct Contact {
    /// The key.
    #[column(primary_key)]
    pub id: Option<i64>,
    /// The name.
    #[column(listen)]
    pub name: String,
    /// Digits only, at most 10 of them.
    #[column(listen)]
    pub phone: Option<String>,
}

static TRACE: StaticTrace = StaticTrace::new();

fn record(line: String) {
    TRACE.record(line);
}

fn take() -> Vec<String> {
    TRACE.take()
}

/// SQLAlchemy's validator: the phone cleaned, or the write refused.
#[hooks::listens_for(Contact::phone, "set", retval)]
fn digits_only(
    target: &Obj<Contact>,
    value: &Option<String>,
    oldvalue: &Option<String>,
    _initiator: &Initiator,
) -> Result<Option<String>, ListenerError> {
    let name = target.read()?.name.clone();
    record(format!("phone set {value:?} (was {oldvalue:?}) on {name}"));
    let Some(phone) = value else {
        return Ok(None);
    };
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if digits.len() > 10 {
        return Err(ListenerError::new(format!(
            "{phone:?} has more than 10 digits"
        )));
    }
    Ok(Some(digits))
}

#[hooks::listens_for(Contact::phone, "modified")]
fn phone_modified(_target: &Obj<Contact>, initiator: &Initiator) {
    record(format!("phone modified {}", initiator.key));
}

#[hooks::listens_for(Contact::name, "set")]
fn name_set(
    _target: &Obj<Contact>,
    value: &String,
    _oldvalue: &String,
    _initiator: &Initiator,
) -> Result<(), ListenerError> {
    record(format!("name set {value:?}"));
    Ok(())
}

/// The class-level listener hears every column, after the column's own.
#[hooks::listens_for(Contact, "set")]
fn any_set(
    _target: &Obj<Contact>,
    value: &Value,
    _oldvalue: &Value,
    initiator: &Initiator,
) -> Result<(), ListenerError> {
    record(format!("class set {}={value:?}", initiator.key));
    Ok(())
}

#[test]
fn an_attribute_target_hears_its_column_with_the_field_type() {
    let url = session_trace::fresh_url("member_target");
    let (engine, witness) = (create_engine(&url).unwrap(), create_engine(&url).unwrap());
    let registry = Registry::new();
    registry.map::<Contact>().unwrap();
    registry.create_all(&witness).unwrap();
    let contact = Obj::new(Contact {
        id: None,
        name: "Ed".to_owned(),
        phone: None,
    });
    assert!(take().is_empty(), "construction writes no attribute");

    contact.set_attr("phone", "(555) 010-2030").unwrap();
    assert_eq!(
        take(),
        [
            r#"phone set Some("(555) 010-2030") (was None) on Ed"#,
            r#"class set phone=Text("5550102030")"#,
            "phone modified phone",
        ]
    );
    assert_eq!(contact.read().unwrap().phone.as_deref(), Some("5550102030"));

    // The name's target hears the name, the phone's does not.
    contact.set(|c| c.name = "Edward".to_owned()).unwrap();
    assert_eq!(
        take(),
        [r#"name set "Edward""#, r#"class set name=Text("Edward")"#]
    );

    // A veto: nothing stored, no class-level `set`, no `modified`.
    let error = contact.set_attr("phone", "+1 555 010 2030 99").unwrap_err();
    assert!(
        matches!(&error, SessionError::Listener { event: "set", .. }),
        "{error:?}"
    );
    assert_eq!(
        take(),
        [r#"phone set Some("+1 555 010 2030 99") (was Some("5550102030")) on Edward"#]
    );
    assert_eq!(contact.read().unwrap().phone.as_deref(), Some("5550102030"));

    // What the listener returned is what SQLite holds.
    let session = Session::with_options(&engine, SessionOptions::new().registry(&registry));
    session.add(&contact).unwrap();
    session.commit().unwrap();
    let rows = committed_text_pairs(&witness, "SELECT name, phone FROM contacts");
    assert_eq!(rows, [("Edward".to_owned(), "5550102030".to_owned())]);
}
