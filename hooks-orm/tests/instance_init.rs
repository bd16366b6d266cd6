//! Construction events, modelled on SQLAlchemy's `test/orm/test_events.py`
//! (`MapperEventsTest.test_init_allow_kw_modify`, `test_init_failure_hook`, the `first_init`
//! listeners): `first_init` once per class, before the class's first `init` or first load;
//! `init` on every constructed object, its listeners changing the constructor's values;
//! `init_failure` when the constructor fails; a loaded object fires no `init`.

mod object_trace;

#[path = "instance_common/mod.rs"]
mod instance_common;

use hooks::Class;
use hooks_orm::{Mapped, Obj, instance_events as ie};
use instance_common::record_instance;
use object_trace::{Labels, Trace, take};

#[derive(Mapped, Debug)]
#[mapped(table = "accounts")]
struct Account {
    #[column(primary_key)]
    id: Option<i64>,
    name: String,
    balance: i64,
}

#[derive(Mapped, Debug)]
#[mapped(table = "ledgers")]
struct Ledger {
    #[column(primary_key)]
    id: Option<i64>,
    title: String,
}

#[derive(Debug)]
struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("refused by the constructor")
    }
}

impl std::error::Error for Refused {}

#[test]
fn first_init_once_then_init_per_object_whose_listeners_change_its_values() {
    // A listener that raises a low balance and one that edits the typed value, registered
    // before the recorder: the recorder sees their changes.
    let _floor = ie::init
        .listen(Class::<Account>::new(), |_, args| {
            if let Some(hooks_sql::Value::Integer(balance)) = args.get("balance")
                && balance < 10
            {
                args.set("balance", 10).unwrap();
            }
            let unknown = args.set("nope", 1).unwrap_err();
            assert_eq!(unknown.to_string(), "`Account` has no column `nope`");
            assert!(args.set("balance", "ten").is_err());
        })
        .unwrap();
    let _typed = ie::init
        .listen(Class::<Account>::new(), |_, args| {
            let account = args.downcast_mut::<Account>().unwrap();
            account.name = account.name.to_uppercase();
            assert!(args.downcast_mut::<Ledger>().is_none());
        })
        .unwrap();
    let (trace, labels) = (Trace::default(), Labels::default());
    record_instance::<Account>(&trace, &labels);
    record_instance::<Ledger>(&trace, &labels);

    let ed = Obj::new(Account {
        id: None,
        name: "ed".into(),
        balance: 3,
    });
    assert_eq!(ed.read().unwrap().balance, 10);
    assert_eq!(ed.read().unwrap().name, "ED");
    let jack = Obj::new(Account {
        id: None,
        name: "jack".into(),
        balance: 50,
    });
    assert_eq!(jack.read().unwrap().balance, 50);
    let failed = Obj::<Account>::try_new(|| Err(Refused));
    assert!(matches!(failed, Err(Refused)));
    let built = Obj::try_new(|| {
        Ok::<_, Refused>(Account {
            id: None,
            name: "w".into(),
            balance: 10,
        })
    });
    assert!(built.is_ok());
    assert_eq!(
        take(&trace),
        [
            "first_init Account",
            r#"init Account {"id": Null, "name": Text("ED"), "balance": Integer(10)}"#,
            r#"init Account {"id": Null, "name": Text("JACK"), "balance": Integer(50)}"#,
            "init_failure Account refused by the constructor",
            r#"init Account {"id": Null, "name": Text("W"), "balance": Integer(10)}"#,
        ]
    );

    // A class whose first object is loaded: `first_init`, then `load`, never `init`.
    let db = object_trace::database_of::<Ledger>("first_init_on_load");
    let conn = db.witness.connect().unwrap();
    conn.exec_driver_sql(
        "INSERT INTO ledgers (id, title) VALUES (1, 'q1'), (2, 'q2')",
        (),
    )
    .unwrap();
    conn.commit().unwrap();
    let loaded = db.session.select::<Ledger>().order_by("id").all().unwrap();
    assert_eq!(loaded.len(), 2);
    assert_eq!(take(&trace), ["first_init Ledger", "load ?", "load ?"]);
}
