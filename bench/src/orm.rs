//! Case 6, the ORM: `hooks-orm` writing 1,000 new objects in one flush and loading 1,000 rows
//! into a fresh session, with 0 and 10 listeners, against hand-written `rusqlite` doing the
//! same work (one transaction, cached prepared statement).
//!
//! Every case has its own in-memory SQLite database (`sqlite://` for the ORM, whose static pool
//! keeps the one connection; `Connection::open_in_memory` for the raw half). One iteration is a
//! whole operation on [`ROWS`] rows, from building the values to dropping them:
//!
//! * flush: build the objects, open a session, `add` each, `commit` (one transaction: the flush
//!   and `COMMIT`), `close`; the raw half builds the same structs, begins a transaction, runs
//!   the cached `INSERT` once per struct (reading back the generated key, as the ORM's one
//!   `executemany` of all the rows does per set) and
//!   commits. The table is then emptied with `DELETE FROM` **outside** the timed part, in both
//!   halves, so every iteration inserts into an empty table;
//! * load: the table holds [`ROWS`] rows; open a fresh session (an empty identity map, so every
//!   object is really built from its row), `select` all, `close`; the raw half runs the cached
//!   `SELECT`, maps each row into the struct and collects a `Vec`.
//!
//! Class-level listeners are global to the process, so the 0- and 10-listener cases use two
//! classes with the same columns: nothing at all listens to [`Bench0`], and [`Bench10`] has
//! 10 trivial `before_insert` listeners (fired by the flush cases) and 10 trivial `load`
//! listeners (fired by the load cases).

use std::hint::black_box;
use std::time::{Duration, Instant};

use hooks::Class;
use hooks_orm::{Mapped, Obj, Registry, Session, SessionOptions, instance_events, mapper_events};

use crate::harness::Case;

/// Rows per operation.
pub const ROWS: usize = 1_000;

/// Listener counts measured.
pub const COUNTS: [usize; 2] = [0, 10];

/// The fewest operations per sample: an ORM operation takes milliseconds, so calibration would
/// pick one, and a sample of a few averages out some of a shared machine's jitter.
pub const MIN_ITERS: u64 = 3;

/// One row, as hand-written code holds it: an integer key the database generates, two texts,
/// an integer and a nullable text.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// The key; `None` until inserted.
    pub id: Option<i64>,
    /// A text.
    pub name: String,
    /// Another text.
    pub email: String,
    /// An integer.
    pub age: i64,
    /// A nullable text: every other row has one.
    pub note: Option<String>,
}

impl Person {
    /// The `i`-th row of every case (the SQLAlchemy script builds the same values).
    pub fn numbered(i: usize) -> Self {
        Person {
            id: None,
            name: format!("name {i}"),
            email: format!("user{i}@example.com"),
            age: i64::try_from(i % 100).unwrap_or_default(),
            note: i.is_multiple_of(2).then(|| format!("note {i}")),
        }
    }
}

/// The class nothing listens to.
#[derive(Mapped)]
#[mapped(table = "bench0")]
pub struct Bench0 {
    /// The key.
    #[column(primary_key)]
    pub id: Option<i64>,
    /// A text.
    pub name: String,
    /// Another text.
    pub email: String,
    /// An integer.
    pub age: i64,
    /// A nullable text.
    pub note: Option<String>,
}

/// The same columns, with 10 `before_insert` and 10 `load` listeners on the class.
#[derive(Mapped)]
#[mapped(table = "bench10")]
pub struct Bench10 {
    /// The key.
    #[column(primary_key)]
    pub id: Option<i64>,
    /// A text.
    pub name: String,
    /// Another text.
    pub email: String,
    /// An integer.
    pub age: i64,
    /// A nullable text.
    pub note: Option<String>,
}

/// A bench class: its objects are built from a [`Person`]; it accepts the listeners the cases add.
pub trait BenchClass:
    Mapped
    + Send
    + Sync
    + hooks::Accepts<dyn hooks_orm::MapperEvents>
    + hooks::Accepts<dyn hooks_orm::InstanceEvents>
    + 'static
{
    /// The object of `person`'s values.
    fn from_person(person: Person) -> Self;
}

impl BenchClass for Bench0 {
    fn from_person(p: Person) -> Self {
        Bench0 {
            id: p.id,
            name: p.name,
            email: p.email,
            age: p.age,
            note: p.note,
        }
    }
}

impl BenchClass for Bench10 {
    fn from_person(p: Person) -> Self {
        Bench10 {
            id: p.id,
            name: p.name,
            email: p.email,
            age: p.age,
            note: p.note,
        }
    }
}

/// The raw table: the DDL `create_all` emits for the bench classes (a test checks it), so both
/// halves write the same rows into the same shape.
const RAW_DDL: &str = "CREATE TABLE \"bench\" (\n\t\"id\" INTEGER,\n\t\"name\" TEXT NOT NULL,\n\t\
                       \"email\" TEXT NOT NULL,\n\t\"age\" INTEGER NOT NULL,\n\t\"note\" TEXT,\n\t\
                       PRIMARY KEY (\"id\")\n)";
const RAW_INSERT: &str = "INSERT INTO bench (name, email, age, note) VALUES (?1, ?2, ?3, ?4)";
const RAW_SELECT: &str = "SELECT id, name, email, age, note FROM bench";

/// Times `op` on `state` once per iteration, then runs `reset` on it untimed.
fn timed_with_reset<S>(
    iters: u64,
    state: &mut S,
    mut op: impl FnMut(&mut S),
    mut reset: impl FnMut(&mut S),
) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let start = Instant::now();
        op(state);
        total += start.elapsed();
        reset(state);
    }
    total
}

fn raw_connection() -> rusqlite::Connection {
    let conn = rusqlite::Connection::open_in_memory().expect("in-memory SQLite");
    conn.execute_batch(RAW_DDL).expect("create the raw table");
    conn
}

fn raw_insert(conn: &mut rusqlite::Connection) -> Vec<Person> {
    let mut rows: Vec<Person> = (0..ROWS).map(Person::numbered).collect();
    let tx = conn.transaction().expect("begin");
    {
        let mut stmt = tx.prepare_cached(RAW_INSERT).expect("prepare");
        for row in &mut rows {
            stmt.execute(rusqlite::params![row.name, row.email, row.age, row.note])
                .expect("insert");
            row.id = Some(tx.last_insert_rowid());
        }
    }
    tx.commit().expect("commit");
    rows
}

fn raw_select(conn: &rusqlite::Connection) -> Vec<Person> {
    let mut stmt = conn.prepare_cached(RAW_SELECT).expect("prepare");
    stmt.query_map([], |row| {
        Ok(Person {
            id: row.get(0)?,
            name: row.get(1)?,
            email: row.get(2)?,
            age: row.get(3)?,
            note: row.get(4)?,
        })
    })
    .expect("select")
    .collect::<Result<_, _>>()
    .expect("row")
}

/// Hand-written `rusqlite`: `orm/raw-rusqlite/insert-1000` and `orm/raw-rusqlite/select-1000`.
///
/// # Panics
///
/// If SQLite cannot open an in-memory database (the cases panic too if a statement fails).
pub fn raw_cases() -> Vec<Case> {
    let mut insert = raw_connection();
    let mut load = raw_connection();
    raw_insert(&mut load);
    assert_eq!(raw_select(&load).len(), ROWS);
    vec![
        Case::new("orm/raw-rusqlite/insert-1000", move |iters| {
            timed_with_reset(
                iters,
                &mut insert,
                |conn| drop(black_box(raw_insert(conn))),
                |conn| conn.execute_batch("DELETE FROM bench").expect("reset"),
            )
        })
        .calibrate_on_wall()
        .iters(MIN_ITERS, u64::MAX),
        Case::new("orm/raw-rusqlite/select-1000", move |iters| {
            crate::harness::time(iters, || drop(black_box(raw_select(&load))))
        })
        .iters(MIN_ITERS, u64::MAX),
    ]
}

/// One ORM case's database: an in-memory engine with the class's table, and the registry
/// that maps the class.
pub struct Fixture {
    /// The engine (`sqlite://`: one connection, kept by the static pool).
    pub engine: hooks_sql::Engine,
    /// The registry mapping the case's class.
    pub registry: Registry,
}

impl Fixture {
    /// Maps `T` in a registry of its own and creates its table in a new in-memory database.
    ///
    /// # Panics
    ///
    /// If mapping, configuring or creating the table fails.
    pub fn new<T: BenchClass>() -> Self {
        let registry = Registry::new();
        registry.map::<T>().expect("map the bench class");
        registry.configure().expect("configure");
        let engine = hooks_sql::create_engine("sqlite://").expect("in-memory engine");
        registry.create_all(&engine).expect("create the table");
        Fixture { engine, registry }
    }

    fn session(&self) -> Session {
        Session::with_options(&self.engine, SessionOptions::new().registry(&self.registry))
    }

    /// Builds [`ROWS`] new objects, adds them to a fresh session, commits and closes it:
    /// one flush, one transaction. Returns the objects (persistent, detached by the close).
    ///
    /// # Panics
    ///
    /// If a step fails.
    pub fn flush<T: BenchClass>(&self) -> Vec<Obj<T>> {
        let objects: Vec<Obj<T>> = (0..ROWS)
            .map(|i| Obj::new(T::from_person(Person::numbered(i))))
            .collect();
        let session = self.session();
        for obj in &objects {
            session.add(obj).expect("add");
        }
        session.commit().expect("commit");
        session.close().expect("close");
        objects
    }

    /// Selects every row of `T` into a fresh session (an empty identity map: each object is
    /// built from its row), then closes the session.
    ///
    /// # Panics
    ///
    /// If the select fails.
    pub fn load<T: BenchClass>(&self) -> Vec<Obj<T>> {
        let session = self.session();
        let objects = session.select::<T>().all().expect("select");
        session.close().expect("close");
        objects
    }

    /// Empties `T`'s table, outside the session (the untimed reset of the flush cases).
    ///
    /// # Panics
    ///
    /// If the `DELETE` fails.
    pub fn empty<T: BenchClass>(&self) {
        let conn = self.engine.connect().expect("connect");
        conn.exec_driver_sql(&format!("DELETE FROM {}", T::MAPPER.table), ())
            .expect("reset");
        conn.commit().expect("commit the reset");
        conn.close();
    }
}

/// Adds `n` trivial listeners to `T`'s class: `before_insert` (`MapperEvents`) and `load`
/// (`InstanceEvents`), each passing its argument to `black_box`. Class-level listeners stay
/// for the process.
///
/// # Errors
///
/// A registration error of `hooks`.
pub fn listen<T: BenchClass>(n: usize) -> Result<(), hooks::Error> {
    for k in 0..n {
        mapper_events::before_insert.listen(Class::<T>::new(), move |_mapper, _conn, target| {
            black_box((target, k));
            Ok(())
        })?;
        instance_events::load.listen(Class::<T>::new(), move |target, _context| {
            black_box((target, k));
            Ok(())
        })?;
    }
    Ok(())
}

fn cases_of<T: BenchClass>(n: usize) -> Vec<Case> {
    listen::<T>(n).expect("listen");
    let flush = Fixture::new::<T>();
    let load = Fixture::new::<T>();
    drop(load.flush::<T>());
    assert_eq!(load.load::<T>().len(), ROWS);
    vec![
        Case::new(format!("orm/flush-1000/{n}"), move |iters| {
            timed_with_reset(
                iters,
                &mut (),
                |()| drop(black_box(flush.flush::<T>())),
                |()| flush.empty::<T>(),
            )
        })
        .calibrate_on_wall()
        .iters(MIN_ITERS, u64::MAX),
        Case::new(format!("orm/load-1000/{n}"), move |iters| {
            crate::harness::time(iters, || drop(black_box(load.load::<T>())))
        })
        .iters(MIN_ITERS, u64::MAX),
    ]
}

/// The `hooks-orm` half: `orm/flush-1000/{0,10}` and `orm/load-1000/{0,10}`.
///
/// # Panics
///
/// If a fixture cannot be set up (the cases panic too if an operation fails).
pub fn orm_cases() -> Vec<Case> {
    let mut cases = cases_of::<Bench0>(0);
    cases.extend(cases_of::<Bench10>(10));
    cases
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_raw_table_is_the_one_create_all_makes() {
        let fixture = Fixture::new::<Bench0>();
        let conn = fixture.engine.connect().expect("connect");
        let orm = conn
            .exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'bench0'", ())
            .expect("select the DDL");
        let orm = orm.rows()[0].values()[0].as_str().expect("text").to_owned();
        assert_eq!(orm, RAW_DDL.replace("bench", "bench0"));
    }

    fn person(obj: &Obj<Bench0>) -> Person {
        let b = obj.read().expect("read");
        Person {
            id: b.id,
            name: b.name.clone(),
            email: b.email.clone(),
            age: b.age,
            note: b.note.clone(),
        }
    }

    fn key(obj: &Obj<Bench0>) -> Option<i64> {
        let state = obj.inspect();
        state.identity_key()?.primary_key().first()?.as_i64()
    }

    #[test]
    fn both_halves_write_and_read_the_same_rows() {
        let fixture = Fixture::new::<Bench0>();
        let written = fixture.flush::<Bench0>();
        let loaded = fixture.load::<Bench0>();
        let mut conn = raw_connection();
        let inserted = raw_insert(&mut conn);
        let selected = raw_select(&conn);
        assert_eq!(inserted, selected);
        assert_eq!((written.len(), loaded.len()), (ROWS, ROWS));
        let keys: Vec<Option<i64>> = written.iter().map(key).collect();
        let ids: Vec<Option<i64>> = inserted.iter().map(|p| p.id).collect();
        assert_eq!(keys, ids);
        let loaded: Vec<Person> = loaded.iter().map(person).collect();
        assert_eq!(loaded, selected);
    }

    #[test]
    fn the_reset_empties_the_table() {
        let fixture = Fixture::new::<Bench0>();
        drop(fixture.flush::<Bench0>());
        fixture.empty::<Bench0>();
        assert!(fixture.load::<Bench0>().is_empty());
        assert_eq!(key(&fixture.flush::<Bench0>()[0]), Some(1));
    }

    #[test]
    fn class_listeners_fire_for_their_class_only() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static INSERTS: AtomicUsize = AtomicUsize::new(0);
        static LOADS: AtomicUsize = AtomicUsize::new(0);
        mapper_events::before_insert
            .listen(Class::<Bench10>::new(), |_, _, _| {
                INSERTS.fetch_add(1, Ordering::Relaxed);
                Ok(())
            })
            .expect("listen");
        instance_events::load
            .listen(Class::<Bench10>::new(), |_, _| {
                LOADS.fetch_add(1, Ordering::Relaxed);
                Ok(())
            })
            .expect("listen");
        let zero = Fixture::new::<Bench0>();
        drop(zero.flush::<Bench0>());
        drop(zero.load::<Bench0>());
        assert_eq!(INSERTS.load(Ordering::Relaxed), 0);
        assert_eq!(LOADS.load(Ordering::Relaxed), 0);
        let ten = Fixture::new::<Bench10>();
        drop(ten.flush::<Bench10>());
        drop(ten.load::<Bench10>());
        assert_eq!(INSERTS.load(Ordering::Relaxed), ROWS);
        assert_eq!(LOADS.load(Ordering::Relaxed), ROWS);
    }
}
