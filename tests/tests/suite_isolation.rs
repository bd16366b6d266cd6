//! The test suites' own isolation rule, checked on their source: a class-level listener applies
//! to every instance of its type in the process, and the tests of one binary run in parallel, so
//! a test that listens on a type at class level must be the only test of its binary that names
//! that type. Each such test declares target types of its own (`tests::targets!`). `hooks-sql`'s
//! host types (`Engine`, `Pool`, …) are made by helpers the check cannot follow, so a class-level
//! listener on one of them needs a binary with a single test (`events_class.rs`).
//!
//! Static `#[listens_for]` listeners are class-level too: a type one of them names may appear in
//! one test of the binary only.

use std::path::{Path, PathBuf};

/// The test sources the rule covers, relative to the workspace root.
const SUITES: [(&str, Rule); 4] = [
    ("tests/tests", Rule::TypeNamedOnce),
    ("hooks-sql/tests", Rule::SingleTest),
    ("hooks-r2d2/tests", Rule::SingleTest),
    ("hooks-orm/tests", Rule::SingleTest),
];

#[derive(Clone, Copy)]
enum Rule {
    /// Types declared by the file: no other test may name a type listened on at class level.
    TypeNamedOnce,
    /// Host types: a file with a class-level listener holds a single test.
    SingleTest,
}

/// One `#[test]` fn: its name and its code, comments left out.
struct TestFn<'a> {
    name: &'a str,
    body: String,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn test_fns(source: &str) -> Vec<TestFn<'_>> {
    let mut chunks = source.split("#[test]");
    chunks.next();
    chunks
        .filter_map(|chunk| {
            let after = chunk.split_once("fn ")?.1;
            let name = after
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()?;
            Some(TestFn {
                name,
                body: without_comments(fn_body(after)),
            })
        })
        .collect()
}

/// The text of the fn whose signature starts `text`, up to its closing brace (items that
/// follow a test belong to no test).
fn fn_body(text: &str) -> &str {
    let mut depth = 0_usize;
    for (at, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 1 => return &text[..=at],
            '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    text
}

/// `text` with its `//` comments removed (a comment may name any type).
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| line.split_once("//").map_or(line, |(code, _)| code))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The identifiers that follow `marker` in `text` (`Class::<Door>` → `Door`).
fn idents_after<'a>(text: &'a str, marker: &str) -> Vec<&'a str> {
    text.match_indices(marker)
        .filter_map(|(at, _)| {
            let rest = text[at + marker.len()..].trim_start();
            let ident = rest
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()?;
            (!ident.is_empty()).then_some(ident)
        })
        .collect()
}

fn names_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        boundary(before) && boundary(after)
    })
}

/// The rule's violations in one file, as messages.
fn violations(file: &Path, rule: Rule) -> Vec<String> {
    let source = std::fs::read_to_string(file).unwrap();
    let tests = test_fns(&source);
    let mut found = Vec::new();
    let mut statics = idents_after(&source, "listens_for(");
    statics.sort_unstable();
    statics.dedup();
    for (i, test) in tests.iter().enumerate() {
        let mut class_level = idents_after(&test.body, "Class::<");
        class_level.extend(idents_after(&test.body, "class::<"));
        for ty in class_level {
            match rule {
                Rule::SingleTest if tests.len() > 1 => found.push(format!(
                    "{}: `{}` listens on `{ty}` at class level in a binary of {} tests",
                    file.display(),
                    test.name,
                    tests.len()
                )),
                Rule::SingleTest => {}
                Rule::TypeNamedOnce => {
                    for (j, other) in tests.iter().enumerate() {
                        if i != j && names_word(&other.body, ty) {
                            found.push(format!(
                                "{}: `{}` listens on `{ty}` at class level and `{}` uses `{ty}`",
                                file.display(),
                                test.name,
                                other.name
                            ));
                        }
                    }
                }
            }
        }
    }
    for ty in statics {
        let users: Vec<_> = tests
            .iter()
            .filter(|t| names_word(&t.body, ty))
            .map(|t| t.name)
            .collect();
        if users.len() > 1 {
            found.push(format!(
                "{}: a static listener on `{ty}` is seen by {} tests: {users:?}",
                file.display(),
                users.len()
            ));
        }
    }
    found
}

#[test]
fn no_test_shares_a_type_it_listens_on_at_class_level() {
    let mut found = Vec::new();
    for (dir, rule) in SUITES {
        let dir = workspace_root().join(dir);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            // This file's own fixtures are sources in strings, not tests.
            let is_self = path.file_name().is_some_and(|n| n == "suite_isolation.rs");
            if path.extension().is_some_and(|e| e == "rs") && !is_self {
                found.extend(violations(&path, rule));
            }
        }
    }
    assert!(
        found.is_empty(),
        "tests that can see each other's class-level listeners:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_catches_a_shared_class_level_type() {
    let dir = std::env::temp_dir().join(format!("hooks-isolation-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("shared.rs");
    std::fs::write(
        &file,
        "#[test]\nfn a() { ev.listen(Class::<Door>::new(), f); }\n\
         #[test]\nfn b() { Door::default().dispatch(); }\n\
         #[test]\nfn c() { Window::default().dispatch(); }\n",
    )
    .unwrap();
    let typed = violations(&file, Rule::TypeNamedOnce);
    let single = violations(&file, Rule::SingleTest);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(typed.len(), 1, "{typed:?}");
    assert!(typed[0].contains("`a` listens on `Door` at class level and `b` uses `Door`"));
    assert_eq!(single.len(), 1, "{single:?}");
    assert!(single[0].contains("in a binary of 3 tests"));
}
