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

/// Help for a table no migration creates: sqlx's ledger when that is the name, else the
/// closest known name, else `fallback`.
pub fn missing_table<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    fallback: impl FnOnce() -> String,
) -> String {
    if name.strip_prefix("public.").unwrap_or(name) == SQLX_LEDGER {
        return format!(
            "`{SQLX_LEDGER}` is sqlx's migration ledger: sqlx's migrator creates it before the \
             first migration, checked-query's does not (it takes that ledger over and leaves it \
             as it was). Where sqlx migrates this service's databases, declare the table in an \
             SQL file listed in `external` in the configuration: {SQLX_LEDGER_DDL}"
        );
    }
    did_you_mean(name, candidates, fallback)
}

/// The table `sqlx::migrate!` keeps its ledger in, and its definition in sqlx 0.7–0.9.
const SQLX_LEDGER: &str = "_sqlx_migrations";
const SQLX_LEDGER_DDL: &str = "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, \
     description TEXT NOT NULL, installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), \
     success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL);";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        assert_eq!(closest("peoples", ["people", "orders"]), Some("people"));
        assert_eq!(closest("emial", ["email", "id"]), Some("email"));
        assert_eq!(closest("zzz", ["email", "id"]), None);
    }

    #[test]
    fn sqlx_ledger_is_named_with_the_way_to_declare_it() {
        for name in ["_sqlx_migrations", "public._sqlx_migrations"] {
            let help = missing_table(name, ["users"], String::new);
            assert!(help.contains("sqlx's migration ledger"), "{help}");
            assert!(help.contains("`external`") && help.contains("CREATE TABLE _sqlx_migrations"));
        }
        assert_eq!(
            missing_table("user", ["users"], String::new),
            "did you mean `users`?"
        );
    }
}
