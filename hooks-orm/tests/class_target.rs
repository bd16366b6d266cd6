//! A mapped struct is a target (`#[derive(Mapped)]` declares it, SQLAlchemy's
//! `event.listen(User, "mapper_configured", fn)`): its listeners, static in other modules and
//! crates or added at runtime on `Class::<User>`, see that class's mapper alone, in every
//! registry, before the mapper's own chain (`Mapper` type, mapper, registry). One test: class
//! listeners are process-wide.

use std::sync::Mutex;

use hooks::Class;
use hooks_orm::{Mapper, MapperDef, Registry, instrumentation_events, mapper_events};
use hooks_orm_test_models::Order;

/// What the listeners of `Account` and of the registries mapping it recorded.
static ACCOUNT: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// What the listeners of `Order` recorded (its test runs in parallel with `Account`'s).
static ORDER: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn push(trace: &Mutex<Vec<String>>, line: String) {
    trace.lock().unwrap().push(line);
}

fn take(trace: &Mutex<Vec<String>>) -> Vec<String> {
    std::mem::take(&mut *trace.lock().unwrap())
}

mod models {
    #[derive(hooks_orm::Mapped)]
    #[mapped(table = "accounts")]
    pub(crate) struct Account {
        #[column(primary_key)]
        pub(crate) id: i64,
        pub(crate) email: String,
    }

    #[derive(hooks_orm::Mapped)]
    #[mapped(table = "invoices")]
    pub(crate) struct Invoice {
        #[column(primary_key)]
        pub(crate) id: i64,
    }
}

mod listeners {
    use hooks_orm::{AttributeDef, Mapper, MapperDef};

    use super::models::Account;

    #[hooks::listens_for(Account, "mapper_configured")]
    fn account_configured(
        _mapper: &Mapper,
        class_: &MapperDef,
    ) -> Result<(), hooks_orm::ListenerError> {
        super::push(
            &super::ACCOUNT,
            format!("Account static mapper_configured {}", class_.table),
        );
        Ok(())
    }

    #[hooks::listens_for(super::models::Account, "attribute_instrument")]
    fn account_attribute(_mapper: &Mapper, _cls: &MapperDef, key: &str, _inst: AttributeDef<'_>) {
        super::push(
            &super::ACCOUNT,
            format!("Account static attribute_instrument {key}"),
        );
    }
}

// A mapped struct of another crate, listened on from this one.
#[hooks::listens_for(hooks_orm_test_models::Order, "instrument_class")]
fn order_instrumented(_mapper: &Mapper, class_: &MapperDef) {
    push(
        &ORDER,
        format!("Order static instrument_class {}", class_.class_name),
    );
}

#[test]
fn class_listeners_fire_for_their_class_alone_before_the_mapper_chain_in_every_crate() {
    let registry = Registry::new();
    let _class = mapper_events::mapper_configured
        .listen(Class::<models::Account>::new(), |_, c| {
            push(
                &ACCOUNT,
                format!("Account runtime mapper_configured {}", c.table),
            );
            Ok(())
        })
        .unwrap();
    let _mapper_type = mapper_events::mapper_configured
        .listen(&registry, |_, c| {
            push(&ACCOUNT, format!("registry mapper_configured {}", c.table));
            Ok(())
        })
        .unwrap();
    registry.map::<models::Account>().unwrap();
    registry.map::<models::Invoice>().unwrap();
    assert_eq!(
        take(&ACCOUNT),
        [
            "Account static attribute_instrument id",
            "Account static attribute_instrument email"
        ]
    );
    registry.configure().unwrap();
    assert_eq!(
        take(&ACCOUNT),
        [
            "Account static mapper_configured accounts",
            "Account runtime mapper_configured accounts",
            "registry mapper_configured accounts",
            "registry mapper_configured invoices",
        ]
    );
    // A second registry maps the class again: its class listeners see that mapper too.
    let other = Registry::new();
    other.map::<models::Account>().unwrap();
    other.configure().unwrap();
    assert_eq!(
        take(&ACCOUNT),
        [
            "Account static attribute_instrument id",
            "Account static attribute_instrument email",
            "Account static mapper_configured accounts",
            "Account runtime mapper_configured accounts",
        ]
    );

    // A class of another crate takes listeners from this one.
    let _h = instrumentation_events::class_instrument
        .listen(Class::<Order>::new(), |_, c| {
            push(
                &ORDER,
                format!("Order runtime class_instrument {}", c.class_name),
            );
        })
        .unwrap();
    registry.map::<Order>().unwrap();
    assert_eq!(
        take(&ORDER),
        [
            "Order static instrument_class Order",
            "Order runtime class_instrument Order"
        ]
    );
}
