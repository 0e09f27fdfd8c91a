//! "Did you mean" suggestions, shared by every diagnostic that names something unknown.

/// The candidate closest to `name`, if it is close enough to be a plausible typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|(d, c)| {
            *d <= limit
                || c.starts_with(name) && name.len() >= 3
                || name.starts_with(c) && c.len() >= 3
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// `did you mean `x`?` help, or `fallback` when nothing is close.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    fallback: impl FnOnce() -> String,
) -> String {
    match closest(name, candidates) {
        Some(c) => format!("did you mean `{c}`?"),
        None => fallback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        assert_eq!(closest("peoples", ["people", "orders"]), Some("people"));
        assert_eq!(closest("emial", ["email", "id"]), Some("email"));
        assert_eq!(closest("zzz", ["email", "id"]), None);
    }
}
