//! The ORM lifecycle in one trace: `cargo run -p hooks-orm --example lifecycle`.
//!
//! One `User` through its whole life on SQLite: mapped and configured, constructed (`init`
//! fills its email), renamed (`set`), added and committed (the flush's INSERT, the server
//! default read back by `refresh_flush`, `expire` at the commit), read again (`refresh`),
//! updated, loaded into a fresh identity map (`load`) and deleted. Every ORM event and the
//! Core events underneath are printed as they fire, indented by nesting.

mod story;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("hooks-orm-lifecycle-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("lifecycle.db");
    let _ = std::fs::remove_file(&path);
    for line in story::run(&format!("sqlite:///{}", path.display()))? {
        println!("{line}");
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
