//! The relationships story: a user, two addresses appended, one moved to a second user by
//! setting its reference, one removed (an orphan, deleted at the flush), every collection and
//! reference event traced with its initiator.

use std::sync::{Arc, Mutex};

use hooks::Class;
use hooks_orm::{
    AnyInstance, Collection, Initiator, Mapped, Obj, Reference, Registry, Session, SessionOptions,
    attribute_events as ae,
};

#[derive(Mapped)]
#[mapped(table = "users")]
pub(crate) struct User {
    #[column(primary_key)]
    pub(crate) id: Option<i64>,
    pub(crate) name: String,
    #[relationship(back_populates = "user", cascade = "all, delete-orphan")]
    pub(crate) addresses: Collection<Address>,
}

#[derive(Mapped)]
#[mapped(table = "addresses")]
pub(crate) struct Address {
    #[column(primary_key)]
    pub(crate) id: Option<i64>,
    pub(crate) email: String,
    #[column(foreign_key = "users.id")]
    pub(crate) user_id: Option<i64>,
    #[relationship(back_populates = "addresses")]
    pub(crate) user: Reference<User>,
}

type Trace = Arc<Mutex<Vec<String>>>;

fn name(obj: &AnyInstance) -> String {
    match (
        obj.downcast_ref::<Obj<User>>(),
        obj.downcast_ref::<Obj<Address>>(),
    ) {
        (Some(u), _) => u.read().map(|u| u.name.clone()).unwrap_or_default(),
        (_, Some(a)) => a.read().map(|a| a.email.clone()).unwrap_or_default(),
        _ => "?".into(),
    }
}

fn via(i: &Initiator) -> String {
    format!("(via {}.{} {:?})", i.class, i.key, i.op)
}

fn listen(trace: &Trace) -> Result<Vec<Box<dyn std::any::Any>>, hooks::Error> {
    let t = Arc::clone(trace);
    let append = ae::append.listen(Class::<User>::new(), move |user, address, _, i| {
        let line = format!(
            "{}.addresses append {} {}",
            name(user),
            name(address),
            via(i)
        );
        t.lock().unwrap().push(line);
        Ok(())
    })?;
    let t = Arc::clone(trace);
    let remove = ae::remove.listen(Class::<User>::new(), move |user, address, _, i| {
        let line = format!(
            "{}.addresses remove {} {}",
            name(user),
            name(address),
            via(i)
        );
        t.lock().unwrap().push(line);
        Ok(())
    })?;
    let t = Arc::clone(trace);
    let set = ae::set_object.listen(Class::<Address>::new(), move |address, new, old, i| {
        let who = |o: Option<&AnyInstance>| o.map_or_else(|| "None".into(), name);
        let line = format!(
            "{}.user = {} (was {}) {}",
            name(address),
            who(new),
            who(old),
            via(i)
        );
        t.lock().unwrap().push(line);
        Ok(())
    })?;
    Ok(vec![Box::new(append), Box::new(remove), Box::new(set)])
}

/// Runs the story on `url`; returns the trace and the `addresses` rows after it.
pub(crate) fn run(url: &str) -> Result<(Vec<String>, Vec<String>), Box<dyn std::error::Error>> {
    let registry = Registry::new();
    registry.map::<User>()?;
    registry.map::<Address>()?;
    let engine = hooks_sql::create_engine(url)?;
    registry.create_all(&engine)?;
    let session = Session::with_options(&engine, SessionOptions::new().registry(&registry));
    let trace = Trace::default();
    let _listeners = listen(&trace)?;

    let jack = Obj::new(User {
        id: None,
        name: "jack".into(),
        addresses: Collection::new(),
    });
    let new_address = |email: &str| {
        Obj::new(Address {
            id: None,
            email: email.into(),
            user_id: None,
            user: Reference::new(),
        })
    };
    let (home, work) = (new_address("jack@home"), new_address("jack@work"));
    session.add(&jack)?;
    let addresses = jack.collection::<Address>("addresses")?;
    addresses.append(&home)?;
    addresses.append(&work)?;
    session.commit()?;

    let wendy = Obj::new(User {
        id: None,
        name: "wendy".into(),
        addresses: Collection::new(),
    });
    session.add(&wendy)?;
    work.reference::<User>("user")?.set(Some(&wendy))?;
    addresses.remove(&home)?;
    session.commit()?;

    let conn = engine.connect()?;
    let rows = conn.exec_driver_sql("SELECT email, user_id FROM addresses ORDER BY id", ())?;
    let rows = rows
        .rows()
        .iter()
        .map(|r| format!("{:?}", r.values()))
        .collect();
    let lines = std::mem::take(&mut *trace.lock().unwrap());
    Ok((lines, rows))
}
