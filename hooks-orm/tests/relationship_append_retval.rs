//! `append` with `retval` and a veto, modelled on SQLAlchemy's `test/orm/test_attributes.py`
//! (`ListenerTest`'s `retval=True` append listeners, `test_named` with `key=` under
//! `include_key`): a listener's returned object is what gets appended (and what the backref
//! points at), an `Err` appends nothing and runs no backref, and only the listener
//! registered with `include_key` receives the index.

#[path = "relationships_common/mod.rs"]
mod relationships_common;

use relationships_common::*;

fn listen(trace: &Trace, swapped: &Obj<Address>) -> Vec<Box<dyn std::any::Any>> {
    let replacement = swapped.clone();
    let t = trace.clone();
    let retval = ae::append
        .listen_retval(
            Class::<User>::new(),
            Modifiers::NONE,
            move |_, value, key, _| {
                let email = name(value);
                push(&t, format!("retval {email} key={key:?}"));
                match email.as_str() {
                    "bad" => Err(ListenerError::new("no bad addresses")),
                    "swap-me" => Ok(Box::new(replacement.clone()) as Box<AnyInstance>),
                    _ => Ok(
                        Box::new(value.downcast_ref::<Obj<Address>>().unwrap().clone())
                            as Box<AnyInstance>,
                    ),
                }
            },
        )
        .unwrap();
    let t = trace.clone();
    let keyed = ae::append
        .listen_with(
            Class::<User>::new(),
            Modifiers::NONE.custom("include_key").unwrap(),
            move |_, value, key, _| {
                push(&t, format!("keyed {} key={key:?}", name(value)));
                Ok(())
            },
        )
        .unwrap();
    vec![Box::new(retval), Box::new(keyed)]
}

#[test]
fn a_retval_listener_substitutes_the_member_and_an_err_appends_nothing() {
    let (_registry, session, witness) = database("append_retval");
    let trace = Trace::default();
    let swapped = address("swapped");
    let _listeners = listen(&trace, &swapped);
    let _users = record::<User>(&trace);
    let _addresses = record::<Address>(&trace);
    let jack = user("jack");
    let addresses = jack.collection::<Address>("addresses").unwrap();

    addresses.append(&address("a1")).unwrap();
    addresses.append(&address("swap-me")).unwrap();
    assert_eq!(
        take(&trace),
        [
            "jack init_collection addresses",
            "retval a1 key=None",
            "keyed a1 key=Some(0)",
            "jack append a1 None [User.addresses Append]",
            "jack modified [User.addresses Modified]",
            "a1 set_object jack <- None [User.addresses Append]",
            "a1 modified [Address.user Modified]",
            "retval swap-me key=None",
            "keyed swapped key=Some(1)",
            "jack append swapped None [User.addresses Append]",
            "jack modified [User.addresses Modified]",
            "swapped set_object jack <- None [User.addresses Append]",
            "swapped modified [Address.user Modified]",
        ]
    );

    let bad = address("bad");
    let error = addresses.append(&bad).unwrap_err();
    assert!(
        matches!(&error, SessionError::Listener { event: "append", source } if source.to_string() == "no bad addresses"),
        "{error:?}"
    );
    assert_eq!(
        take(&trace),
        ["retval bad key=None"],
        "the veto stops the chain: no later listener, no modified, no backref"
    );
    assert_eq!(bad.reference::<User>("user").unwrap().get().unwrap(), None);
    let emails: Vec<String> = addresses
        .items()
        .unwrap()
        .iter()
        .map(|a| a.read().unwrap().email.clone())
        .collect();
    assert_eq!(emails, ["a1", "swapped"]);
    assert_eq!(
        swapped.reference::<User>("user").unwrap().get().unwrap(),
        Some(jack.clone())
    );

    session.add(&jack).unwrap();
    session.commit().unwrap();
    assert_eq!(
        rows(&witness, "SELECT email, user_id FROM addresses ORDER BY id"),
        [
            "[Text(\"a1\"), Integer(1)]",
            "[Text(\"swapped\"), Integer(1)]"
        ]
    );
}
