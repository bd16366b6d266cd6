//! "Did you mean": shared by the runtime's errors and the proc macros' compile errors (the macro
//! crate depends on this one for it). Not a public API.

/// The candidate closest to `wrong`, if one is close enough to be what was meant.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wrong.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(wrong, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Edit distance by characters where an insertion, a deletion, a substitution or a swap of two
/// neighbours costs one (optimal string alignment): typos are mostly swaps.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let width = b.len() + 1;
    let mut d = vec![0; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
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
        assert_eq!(closest("opne", ["open", "close"]), Some("open"));
    }
}
