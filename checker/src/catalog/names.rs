//! PostgreSQL's rules for the names it picks itself (`users_pkey`, `users_email_key`,
//! `orders_user_id_fkey`, `users_lower_idx`, `users_id_seq`), so that a later
//! `DROP CONSTRAINT users_email_key` finds what PostgreSQL would have created.
//! Mirrors `makeObjectName` / `ChooseRelationName` in `src/backend/commands/indexcmds.c`.

/// PostgreSQL's identifier length limit (NAMEDATALEN - 1), in bytes.
pub const MAX_IDENTIFIER: usize = 63;

/// `makeObjectName(name1, name2, label)`: `name1_name2_label`, with name1 and name2 cut
/// (the longer one first) so the result fits in 63 bytes.
pub fn make_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let mut overhead = 0;
    if !label.is_empty() {
        overhead += label.len() + 1;
    }
    let name2 = name2.filter(|s| !s.is_empty());
    if name2.is_some() {
        overhead += 1;
    }
    let avail = MAX_IDENTIFIER.saturating_sub(overhead);
    let mut n1 = name1.len();
    let mut n2 = name2.map_or(0, str::len);
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let mut out = clip(name1, n1).to_string();
    if let Some(name2) = name2 {
        out.push('_');
        out.push_str(clip(name2, n2));
    }
    if !label.is_empty() {
        out.push('_');
        out.push_str(label);
    }
    out
}

/// `ChooseRelationName`: the first of `name1_name2_label`, `…_label1`, `…_label2`, … that is
/// not `taken`.
pub fn choose_name(
    name1: &str,
    name2: Option<&str>,
    label: &str,
    taken: &dyn Fn(&str) -> bool,
) -> String {
    // A table in a schema of the service's own (`s.t`) names its objects `s.t_…`: the
    // name is made from `t` and lives in `s`.
    let (schema, name1) = super::split_key(name1);
    let mut pass = 0;
    loop {
        let l = if pass == 0 {
            label.to_string()
        } else {
            format!("{label}{pass}")
        };
        let candidate = qualify(schema, make_object_name(name1, name2, &l));
        if !taken(&candidate) {
            return candidate;
        }
        pass += 1;
    }
}

/// Joins column names with `_` the way `ChooseIndexNameAddition` does (stopping once the
/// result is long enough to be cut anyway).
pub fn join_columns<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for n in names {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(n);
        if out.len() >= MAX_IDENTIFIER {
            break;
        }
    }
    out
}

/// Truncates an identifier the way PostgreSQL does for names that are too long.
pub fn truncate_identifier(name: &str) -> String {
    clip(name, MAX_IDENTIFIER).to_string()
}

fn clip(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A name in `schema` as the catalog keys it (`public`'s objects are unqualified).
pub fn qualify(schema: Option<&str>, name: String) -> String {
    match schema {
        Some(s) => format!("{s}.{name}"),
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_like_postgres() {
        assert_eq!(make_object_name("users", None, "pkey"), "users_pkey");
        assert_eq!(
            make_object_name("users", Some("email"), "key"),
            "users_email_key"
        );
        let long = "a".repeat(40);
        let name = make_object_name(&long, Some(&"b".repeat(40)), "fkey");
        assert_eq!(name.len(), 63);
        assert!(name.ends_with("_fkey"));
        let taken = |n: &str| n == "t_a_key" || n == "t_a_key1";
        assert_eq!(choose_name("t", Some("a"), "key", &taken), "t_a_key2");
    }
}
