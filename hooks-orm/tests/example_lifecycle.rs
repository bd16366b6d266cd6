//! `examples/lifecycle`: its story run on a fresh file, the exact trace of every ORM event
//! and the Core events underneath (the SQL SQLite ran), and SQLite's rows after it.

#[path = "../examples/lifecycle/story.rs"]
mod story;

#[path = "session_trace/mod.rs"]
mod session_trace;

#[test]
fn the_story_traces_one_user_s_whole_life_and_leaves_no_row() {
    let url = session_trace::fresh_url("example_lifecycle");
    let trace = story::run(&url).unwrap();
    assert_eq!(
        trace,
        [
            "▶ map and configure User",
            "  instrument_class         User",
            "  mapper_configured        table users",
            "▶ construct a User, then rename it",
            "  first_init               User",
            r#"  init                     {"id": Null, "name": Text("ed"), "email": Text("ed@example.com"), "status": Null}"#,
            r#"  set                      User.name = Text("Ed") (was Text("ed"))"#,
            "  modified                 User.name",
            "▶ add it and commit: INSERT, status from the server default, expire on commit",
            "  before_attach            User (new)",
            "  after_attach             User (new)",
            "  transient_to_pending     User (new)",
            "  before_commit",
            "    before_flush",
            "      begin                    (core)",
            "      after_begin",
            "      before_insert            User (new)",
            "        sql                      INSERT INTO users (name, email) VALUES (?, ?) RETURNING status",
            "        refresh_flush            User #1: status",
            "      after_insert             User #1",
            "      after_flush",
            "      pending_to_persistent    User #1",
            "    after_flush_postexec",
            "    commit                   (core)",
            "  after_commit",
            "  expire                   User #1: all attributes",
            "▶ read it after the commit: refresh",
            "  begin                    (core)",
            "  after_begin",
            "  sql                      SELECT id, name, email, status FROM users WHERE id = ?",
            "  refresh                  User #1: all attributes",
            r#"  (read)                   status = Some("active")"#,
            "▶ change the email and commit: UPDATE",
            r#"  set                      User.email = Text("ed@hooks.dev") (was Text("ed@example.com"))"#,
            "  modified                 User.email",
            "  before_commit",
            "    before_flush",
            "      before_update            User #1",
            "        sql                      UPDATE users SET email = ? WHERE id = ?",
            "      after_update             User #1",
            "      after_flush",
            "    after_flush_postexec",
            "    commit                   (core)",
            "  after_commit",
            "  expire                   User #1: all attributes",
            "▶ load it into an empty identity map: load",
            "  persistent_to_detached   User #1",
            "  begin                    (core)",
            "  after_begin",
            "  sql                      SELECT id, name, email, status FROM users WHERE id = ?",
            "  load                     User #1",
            "  loaded_as_persistent     User #1",
            "▶ delete it and commit: DELETE",
            "  before_commit",
            "    before_flush",
            "      before_delete            User #1",
            "        sql                      DELETE FROM users WHERE id = ?",
            "      after_delete             User #1",
            "      after_flush",
            "      persistent_to_deleted    User #1",
            "    after_flush_postexec",
            "    commit                   (core)",
            "  after_commit",
            "  deleted_to_detached      User #1",
        ]
    );
    let witness = hooks_sql::create_engine(&url).unwrap();
    let conn = witness.connect().unwrap();
    let rows = conn
        .exec_driver_sql("SELECT count(*) FROM users", ())
        .unwrap();
    assert_eq!(
        rows.rows()[0].get::<i64>(0).unwrap(),
        0,
        "the story deleted its user"
    );
}
