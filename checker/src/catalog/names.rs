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

/// The catalog key of a relation named in a string, as PostgreSQL's `regclass` input reads
/// it (`'users'`, `'Public."Odd$Name"'`, `'audit.entries'`): parts split at dots outside
/// double quotes, quoted parts kept as written (`""` is a quote), others lower-cased;
/// `public.` dropped. `None` for an empty part, an unclosed quote or a name of more than
/// two parts (a database name).
pub fn relation_key_from_text(text: &str) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut chars = text.trim().chars().peekable();
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                was_quoted = true;
                loop {
                    match chars.next()? {
                        '"' if chars.peek() == Some(&'"') => {
                            chars.next();
                            current.push('"');
                        }
                        '"' => break,
                        other => current.push(other),
                    }
                }
            }
            '.' => {
                if current.is_empty() && !was_quoted {
                    return None;
                }
                parts.push(std::mem::take(&mut current));
                was_quoted = false;
            }
            c if c.is_whitespace() && !was_quoted && current.is_empty() => {}
            c => current.push(c.to_ascii_lowercase()),
        }
    }
    if current.is_empty() && !was_quoted {
        return None;
    }
    parts.push(current);
    match parts.as_slice() {
        [name] => Some(name.clone()),
        [schema, name] if schema == "public" => Some(name.clone()),
        [schema, name] => Some(format!("{schema}.{name}")),
        _ => None,
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

    #[test]
    fn relation_names_in_strings_as_regclass_reads_them() {
        let key = relation_key_from_text;
        assert_eq!(key("Users").as_deref(), Some("users"));
        assert_eq!(key(" public.users").as_deref(), Some("users"));
        assert_eq!(
            key("sgd1.\"poi2$_vid_seq\"").as_deref(),
            Some("sgd1.poi2$_vid_seq")
        );
        assert_eq!(key("\"Odd\"\"Name\"").as_deref(), Some("Odd\"Name"));
        assert_eq!(key("Audit.Entries").as_deref(), Some("audit.entries"));
        assert_eq!(key("a.b.c"), None);
        assert_eq!(key("a..b"), None);
        assert_eq!(key("\"open"), None);
    }
}
