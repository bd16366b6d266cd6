//! Smoke test of resolution, joins, named, exec-once and the by-name API.
use std::sync::Arc;

use hooks::{Class, DynListener, HasEvents, Modifiers};
use tests::Recorder;

static CALLS: Recorder = Recorder::new();

#[hooks::events]
pub trait PoolEvents {
    fn checkin(id: u32);
    #[event(exec_once(unless_error), fallible)]
    fn first(id: u32) -> Result<(), String>;
}

#[hooks::events]
pub trait EngineEvents {
    fn execute(sql: &str, many: bool);
}

#[hooks::target(PoolEvents(events = events))]
#[derive(Default)]
pub struct Pool {
    events: hooks::Events<dyn PoolEvents>,
}

#[hooks::target(EngineEvents(events = events), PoolEvents(via = Pool, resolve = &self.pool))]
#[derive(Default)]
pub struct Engine {
    events: hooks::Events<dyn EngineEvents>,
    pool: Pool,
}

#[hooks::target(EngineEvents(events = events, join = &*self.engine))]
pub struct Conn {
    events: hooks::Events<dyn EngineEvents>,
    engine: Arc<Engine>,
}

#[hooks::listens_for(Engine, "checkin")]
fn via_engine(id: u32) {
    CALLS.push(format!("engine-class checkin {id}"));
}

#[hooks::listens_for(Conn, "execute", named)]
fn named_exec(args: engine_events::ExecuteArgs<'_>) {
    CALLS.push(format!("conn-class {} {}", args.sql, args.many));
}

#[test]
fn smoke2() {
    let engine = Arc::new(Engine::default());
    let conn = Conn { events: hooks::Events::new(), engine: Arc::clone(&engine) };
    HasEvents::<dyn PoolEvents>::dispatch(&engine.pool).checkin(7);
    assert_eq!(CALLS.take(), ["engine-class checkin 7"]);

    engine_events::execute.listen(&*engine, |sql, _| CALLS.push(format!("engine {sql}"))).unwrap();
    conn.dispatch().execute("select 1", false);
    assert_eq!(CALLS.take(), ["conn-class select 1 false", "engine select 1"]);

    let calls = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let c = Arc::clone(&calls);
    pool_events::first
        .listen(&*engine, move |id| {
            let n = c.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            if n == 0 { Err(format!("fail {id}")) } else { Ok(()) }
        })
        .unwrap();
    let d = HasEvents::<dyn PoolEvents>::dispatch(&engine.pool);
    assert_eq!(d.first(1), Err("fail 1".to_owned()));
    assert_eq!(d.first(2), Ok(()));
    assert_eq!(d.first(3), Ok(()));
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 2);

    let l: Arc<dyn Fn(u32) + Send + Sync> = Arc::new(|id| CALLS.push(format!("dyn {id}")));
    let h = hooks::listen_by_name(Class::<Engine>::new(), "checkin", DynListener::new(l), Modifiers::NONE).unwrap();
    HasEvents::<dyn PoolEvents>::dispatch(&engine.pool).checkin(9);
    assert_eq!(CALLS.take(), ["engine-class checkin 9", "dyn 9"]);
    h.remove().unwrap();
    let err = hooks::listen_by_name(&*engine, "chekin", DynListener::new(()), Modifiers::NONE).unwrap_err();
    println!("{err}");
    let err = hooks::listen_by_name(&*engine, "checkin", DynListener::new(()), Modifiers::NONE).unwrap_err();
    println!("{err}");
    let err = hooks::listen_by_name(&*engine, "checkin", DynListener::new(()), Modifiers::RETVAL).unwrap_err();
    println!("{err}");
    assert!(hooks::contains(Class::<Pool>::new(), pool_events::checkin, via_engine));
    hooks::remove(Class::<Engine>::new(), pool_events::checkin, via_engine).unwrap();
    println!("{}", hooks::remove(Class::<Engine>::new(), pool_events::checkin, via_engine).unwrap_err());
}
