//! A target's typed view of an event's `#[target]` argument (`view = Type`), on a host of its
//! own: the family passes the stocked item erased (`&dyn Any`), a static listener on `Shelf`
//! takes it as `&Book` through the host's `FromTarget` impl, a listener on the same event
//! taking it as declared receives it unchanged, and a runtime listener stays erased. The
//! calls are recorded in order.

use std::any::Any;

use hooks::{Events, FromTarget, HasEvents};
use tests::Recorder;

#[hooks::events]
pub trait ShelfEvents {
    /// `count` copies of `item` were put on the shelf.
    fn stocked(#[target] item: &(dyn Any + Send + Sync), count: u32);
}

/// What a shelf holds.
#[derive(Debug, PartialEq)]
pub struct Book {
    title: &'static str,
}

#[hooks::target(ShelfEvents(events = events), view = Book)]
#[derive(Default)]
pub struct Shelf {
    events: Events<dyn ShelfEvents>,
}

/// The host's view: a shelf stocks books only, so the downcast holds.
impl<'a> FromTarget<'a, dyn Any + Send + Sync, Shelf> for &'a Book {
    fn from_target(erased: &'a (dyn Any + Send + Sync)) -> Self {
        erased.downcast_ref::<Book>().expect("a shelf stocks books")
    }
}

static CALLS: Recorder = Recorder::new();

#[hooks::listens_for(Shelf, "stocked")]
fn typed(item: &Book, count: u32) {
    CALLS.push(format!("typed {} x{count}", item.title));
}

#[hooks::listens_for(Shelf, "stocked")]
fn erased(item: &(dyn Any + Send + Sync), count: u32) {
    CALLS.push(format!("erased {} x{count}", item.is::<Book>()));
}

#[test]
fn static_listeners_take_the_view_or_the_declared_type() {
    let shelf = Shelf::default();
    let _runtime = shelf_events::stocked
        .listen(&shelf, |item, count| {
            let title = item.downcast_ref::<Book>().map(|b| b.title);
            CALLS.push(format!("runtime {title:?} x{count}"));
        })
        .unwrap();
    let book = Book { title: "Dune" };
    shelf.dispatch().stocked(&book, 2);
    assert_eq!(
        CALLS.take(),
        [
            "erased true x2",
            "typed Dune x2",
            r#"runtime Some("Dune") x2"#
        ]
    );
}
