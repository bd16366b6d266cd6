//! `examples/relationships`: its story run on a fresh file, the exact trace of the
//! collection and reference events, and SQLite's rows after it (the orphan deleted, the
//! moved address keyed to its new user).

#[path = "../examples/relationships/story.rs"]
mod story;

#[path = "session_trace/mod.rs"]
mod session_trace;

#[test]
fn the_story_traces_each_side_once_and_leaves_the_rows_it_says() {
    let url = session_trace::fresh_url("example_relationships");
    let (trace, rows) = story::run(&url).unwrap();
    assert_eq!(
        trace,
        [
            "jack.addresses append jack@home (via User.addresses Append)",
            "jack@home.user = jack (was None) (via User.addresses Append)",
            "jack.addresses append jack@work (via User.addresses Append)",
            "jack@work.user = jack (was None) (via User.addresses Append)",
            "jack@work.user = wendy (was jack) (via Address.user Replace)",
            "jack.addresses remove jack@work (via Address.user Replace)",
            "wendy.addresses append jack@work (via Address.user Replace)",
            "jack.addresses remove jack@home (via User.addresses Remove)",
            "jack@home.user = None (was jack) (via User.addresses Remove)",
        ]
    );
    assert_eq!(rows, ["[Text(\"jack@work\"), Integer(2)]"]);
}
