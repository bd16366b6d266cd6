//! "Did you mean": the closest known name to a misspelt one.
//!
//! Shared by the runtime's errors and the proc macros' compile errors (included by path, so the
//! proc-macro crate does not depend on the runtime).

/// The candidate closest to `wrong`, if one is close enough to be what was meant.
pub(crate) fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wrong.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(wrong, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn picks_the_nearest_name_within_reach() {
        let names = ["before_execute", "after_execute", "begin"];
        assert_eq!(closest("before_exec", names), Some("before_execute"));
        assert_eq!(closest("begn", names), Some("begin"));
        assert_eq!(closest("checkout", names), None);
    }
}
