//! The three listening levels in firing order: the `Mapper` type (here also a static
//! `#[listens_for]`), the mapper, its registry. This binary is the only one that listens on
//! the `Mapper` type, and has one test, so no other test's mappers reach these listeners.

use std::sync::Mutex;

use hooks::Class;
use hooks_orm::{Mapper, MapperDef, Registry, mapper_events};

static TRACE: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn push(line: String) {
    TRACE.lock().unwrap().push(line);
}

#[hooks::listens_for(Mapper, "before_mapper_configured")]
fn statically(_mapper: &Mapper, class_: &MapperDef) -> bool {
    push(format!("static {}", class_.class_name));
    false
}

#[hooks::listens_for(Mapper, "after_configured")]
fn statically_after() {
    push("static after_configured".into());
}

#[derive(hooks_orm::Mapped)]
#[mapped(table = "levels")]
struct Level {
    #[column(primary_key)]
    id: i64,
}

#[test]
fn type_level_then_mapper_then_registry() {
    let registry = Registry::new();
    mapper_events::before_mapper_configured
        .listen(&registry, |_, c| {
            push(format!("registry {}", c.class_name));
            false
        })
        .unwrap();
    mapper_events::before_mapper_configured
        .listen(Class::<Mapper>::new(), |_, c| {
            push(format!("class {}", c.class_name));
            false
        })
        .unwrap();
    mapper_events::after_configured
        .listen(&registry, || push("registry after_configured".into()))
        .unwrap();
    let mapper = registry.map::<Level>().unwrap();
    mapper_events::before_mapper_configured
        .listen(&*mapper, |_, c| {
            push(format!("mapper {}", c.class_name));
            false
        })
        .unwrap();
    registry.configure().unwrap();
    assert_eq!(
        *TRACE.lock().unwrap(),
        [
            "static Level",
            "class Level",
            "mapper Level",
            "registry Level",
            "static after_configured",
            "registry after_configured",
        ]
    );
    let _ = Level { id: 1 }.id;
}
