// An `Obj` (the ORM's object handle) of a struct that is not mapped: one error naming the
// struct, with the fix.

struct Note {
    text: String,
}

fn main() {
    let _note = hooks_orm::Obj::new(Note { text: String::new() });
}
