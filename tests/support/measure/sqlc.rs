//! `measure --sqlc <dir>`: another tool's feature tests as a corpus. sqlc's end-to-end
//! cases (`internal/endtoend/testdata/<feature>/postgresql/…`) each hold a schema and
//! queries; for every case whose engine is PostgreSQL, the schema builds the checker's
//! catalog and a fresh database, and every query is judged as a service's are. sqlc's own
//! parameter forms (`sqlc.arg(name)`, `sqlc.narg(name)`, `@name`) become `$n`, as sqlc sends
//! them; `sqlc.embed(t)` becomes `t.*`. Cases repeated for several Go drivers are judged once.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use checked_query::testing::database_schema;
use checked_query_checker::analysis::Context;
use checked_query_checker::catalog::{schema_lines, Catalog};
use checked_query_checker::interpreter::apply_section;
use checked_query_checker::migrations::sections::split_sections;
use checked_query_checker::migrations::Section;
use checked_query_checker::policies::{Env, Settings};
use checked_query_checker::source::SourceFile;
use checked_query_checker::statements::split_statements;
use checked_query_checker::{render, Severity};
use checked_query_tests::TestDb;

use super::{differences, judge_query, Found, Tally};

/// One `engine: postgresql` entry of a case's configuration.
struct Case {
    dir: PathBuf,
    schema: Vec<PathBuf>,
    queries: Vec<PathBuf>,
}

pub async fn run(root: &Path, verbose: bool) {
    let mut configs = Vec::new();
    find_configs(root, &mut configs);
    configs.sort();
    let mut cases = Vec::new();
    for c in &configs {
        cases.extend(read_config(c));
    }
    let db = TestDb::start();
    let mut seen = BTreeSet::new();
    let (mut judged, mut schema_rejected, mut schema_errors, mut schema_differs) = (0, 0, 0, 0);
    let mut tally = Tally::default();
    let mut details = Vec::new();
    for (n, case) in cases.iter().enumerate() {
        let schema = read_sources(&case.schema);
        let queries = read_sources(&case.queries);
        let key: String = schema
            .iter()
            .chain(&queries)
            .map(|f| f.text.as_str())
            .collect::<Vec<_>>()
            .join("\u{0}");
        if queries.is_empty() || !seen.insert(key) {
            continue;
        }
        judged += 1;
        let name = case
            .dir
            .strip_prefix(root)
            .unwrap_or(&case.dir)
            .display()
            .to_string();

        // The checker's catalog: each schema file's UP part (sqlc reads migration files too).
        let env = Env {
            settings: Settings {
                postgres_only: true,
                ..Settings::default()
            },
            ..Env::default()
        };
        let mut catalog = Catalog::new("sqlc");
        let mut ups = Vec::new();
        for f in &schema {
            let (sections, _) = split_sections(f);
            let range = match (&sections.up, &sections.down) {
                (Some(up), _) => up.clone(),
                (None, Some(_)) => continue,
                (None, None) => 0..f.text.len(),
            };
            let section = Section {
                file: f.clone(),
                range,
            };
            let errors: Vec<_> = apply_section(&mut catalog, &env, &section)
                .into_iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            if !errors.is_empty() {
                schema_errors += 1;
                for d in &errors {
                    details.push(format!(
                        "{name}: SCHEMA ERROR {}",
                        render::human::render(d, false)
                    ));
                }
            }
            ups.push(section);
        }

        // PostgreSQL's: a database of the case's own.
        let (mut conn, mut describe) = match fresh_database(db.url(), n).await {
            Ok(c) => c,
            Err(e) => {
                details.push(format!("{name}: cannot create a database: {e}"));
                continue;
            }
        };
        let mut applied = Ok(());
        'apply: for up in &ups {
            let stmts = split_statements(&up.file, up.range.clone())
                .map(|v| v.iter().map(|s| s.text().to_string()).collect::<Vec<_>>())
                .unwrap_or_else(|_| vec![up.file.text[up.range.clone()].to_string()]);
            for s in stmts {
                if let Err(e) = checked_query::sqlx::raw_sql(checked_query::sqlx::AssertSqlSafe(s))
                    .execute(&mut conn)
                    .await
                {
                    applied = Err(e.to_string());
                    break 'apply;
                }
            }
        }
        if let Err(e) = applied {
            schema_rejected += 1;
            if verbose {
                details.push(format!(
                    "{name}: PostgreSQL rejects the schema, left out: {e}"
                ));
            }
            continue;
        }
        let ours = schema_lines(&catalog);
        let theirs = database_schema(&mut conn).await.unwrap_or_default();
        let diff = differences(&ours, &theirs);
        if !diff.is_empty() {
            schema_differs += 1;
            for l in diff {
                details.push(format!("{name}: SCHEMA {l}"));
            }
        }
        let cx = Context {
            catalog: &catalog,
            env: &env,
        };
        for f in &queries {
            let Ok(stmts) = split_statements(f, 0..f.text.len()) else {
                continue;
            };
            for s in stmts {
                let (line, _) = f.line_col(s.range.start);
                let Some(sql) = sqlc_to_postgres(s.text()) else {
                    continue;
                };
                let q = Found {
                    at: format!("{name}/{}:{line}", file_name(f)),
                    sql,
                };
                judge_query(cx, &mut describe, &q, &mut tally, &mut details, verbose).await;
            }
        }
    }
    println!(
        "sqlc cases judged: {judged} ({} configurations); schema rejected by PostgreSQL: {schema_rejected}; \
         schemas with checker errors: {schema_errors}; schemas that differ: {schema_differs}",
        cases.len()
    );
    super::print_totals(&tally, 0, 0);
    for d in details {
        println!("{d}");
    }
}

fn file_name(f: &SourceFile) -> String {
    f.path
        .as_deref()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A new database in the server of `url`, and two connections to it: one through the
/// runtime's sqlx (to apply the schema), one through the judge's.
async fn fresh_database(
    url: &str,
    n: usize,
) -> Result<
    (
        checked_query::sqlx::PgConnection,
        sqlx_describe::PgConnection,
    ),
    String,
> {
    use checked_query::sqlx::Connection as _;
    use sqlx_describe::Connection as _;
    let mut admin = checked_query::sqlx::PgConnection::connect(url)
        .await
        .map_err(|e| e.to_string())?;
    let name = format!("sqlc_case_{n}");
    checked_query::sqlx::raw_sql(checked_query::sqlx::AssertSqlSafe(format!(
        "CREATE DATABASE {name}"
    )))
    .execute(&mut admin)
    .await
    .map_err(|e| e.to_string())?;
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    let case_url = format!("{base}/{name}{query}");
    let new = checked_query::sqlx::PgConnection::connect(&case_url)
        .await
        .map_err(|e| e.to_string())?;
    let old = sqlx_describe::PgConnection::connect(&case_url)
        .await
        .map_err(|e| e.to_string())?;
    Ok((new, old))
}

fn find_configs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            find_configs(&path, out);
        } else if matches!(
            path.file_name().and_then(|n| n.to_str()),
            Some("sqlc.json" | "sqlc.yaml" | "sqlc.yml")
        ) {
            out.push(path);
        }
    }
}

/// The PostgreSQL entries of a configuration: JSON (`packages` or `sql`) or the YAML of
/// version 2, read line by line (its `schema`/`queries` are a path or a list of paths).
fn read_config(path: &Path) -> Vec<Case> {
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let paths = |v: &serde_json::Value| -> Vec<PathBuf> {
        match v {
            serde_json::Value::String(s) => vec![dir.join(s)],
            serde_json::Value::Array(a) => a
                .iter()
                .filter_map(|x| x.as_str().map(|s| dir.join(s)))
                .collect(),
            _ => Vec::new(),
        }
    };
    if path.extension().is_some_and(|x| x == "json") {
        let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
            return Vec::new();
        };
        let entries = json["packages"]
            .as_array()
            .or_else(|| json["sql"].as_array())
            .cloned()
            .unwrap_or_default();
        return entries
            .iter()
            .filter(|e| e["engine"].as_str().unwrap_or("postgresql") == "postgresql")
            .map(|e| Case {
                dir: dir.clone(),
                schema: paths(&e["schema"]),
                queries: paths(&e["queries"]),
            })
            .collect();
    }
    // YAML: entries start at `- `; keys `engine`, `schema`, `queries` at the entry's indent.
    let mut cases = Vec::new();
    let mut current: Option<(String, Vec<PathBuf>, Vec<PathBuf>)> = None;
    let mut list_of: Option<&'static str> = None;
    let unquote = |s: &str| s.trim().trim_matches('"').trim_matches('\'').to_string();
    let mut finish = |c: Option<(String, Vec<PathBuf>, Vec<PathBuf>)>| {
        if let Some((engine, schema, queries)) = c {
            if engine == "postgresql" {
                cases.push(Case {
                    dir: dir.clone(),
                    schema,
                    queries,
                });
            }
        }
    };
    for line in text.lines() {
        let t = line.trim();
        let entry = t.starts_with("- ")
            && (t.contains("engine:") || t.contains("schema:") || t.contains("queries:"));
        let t = if entry {
            finish(current.take());
            current = Some((String::new(), Vec::new(), Vec::new()));
            t[2..].trim()
        } else {
            t
        };
        let Some(c) = current.as_mut() else { continue };
        if let (Some(which), Some(item)) = (list_of, t.strip_prefix("- ")) {
            let p = dir.join(unquote(item));
            if which == "schema" {
                c.1.push(p);
            } else {
                c.2.push(p);
            }
            continue;
        }
        list_of = None;
        if let Some((key, value)) = t.split_once(':') {
            let value = value.trim();
            let items: Vec<PathBuf> = if value.starts_with('[') {
                value
                    .trim_matches(|ch| ch == '[' || ch == ']')
                    .split(',')
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| dir.join(unquote(s)))
                    .collect()
            } else if value.is_empty() {
                Vec::new()
            } else {
                vec![dir.join(unquote(value))]
            };
            match key.trim() {
                "engine" => c.0 = unquote(value),
                "schema" => {
                    c.1 = items;
                    if value.is_empty() {
                        list_of = Some("schema");
                    }
                }
                "queries" => {
                    c.2 = items;
                    if value.is_empty() {
                        list_of = Some("queries");
                    }
                }
                _ => {}
            }
        }
    }
    finish(current.take());
    cases
}

/// The `.sql` files `paths` name, read.
fn read_sources(paths: &[PathBuf]) -> Vec<std::sync::Arc<SourceFile>> {
    sql_files(paths)
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            Some(SourceFile::new(Some(p.clone()), text))
        })
        .collect()
}

/// The `.sql` files a configuration names: files as they are, directories' files sorted.
fn sql_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|f| f.extension().is_some_and(|x| x == "sql"))
                .collect();
            files.sort();
            out.extend(files);
        } else if p.is_file() {
            out.push(p.clone());
        }
    }
    out
}

/// sqlc's parameter forms as PostgreSQL receives them: `sqlc.arg(name)`, `sqlc.narg(name)`
/// and `@name` become `$n` (one number per name, after the highest `$n` written), and
/// `sqlc.embed(t)` becomes `t.*`. `None` for `sqlc.slice`, which sqlc has only for MySQL and
/// SQLite. Strings, quoted names and comments are copied as they are.
fn sqlc_to_postgres(sql: &str) -> Option<String> {
    let b = sql.as_bytes();
    let lower = sql.to_ascii_lowercase();
    if lower.contains("sqlc.slice") {
        return None;
    }
    let highest = {
        let mut max = 0usize;
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'$' {
                let digits: String = sql[i + 1..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                if let Ok(n) = digits.parse::<usize>() {
                    max = max.max(n);
                }
            }
            i += 1;
        }
        max
    };
    let mut names: Vec<String> = Vec::new();
    let mut number = |name: &str| {
        let name = name.trim().trim_matches('\'').trim_matches('"').to_string();
        match names.iter().position(|n| *n == name) {
            Some(i) => highest + i + 1,
            None => {
                names.push(name);
                highest + names.len()
            }
        }
    };
    let mut out = String::with_capacity(sql.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        // Copied whole: strings, quoted names, comments.
        let skip_to = match c {
            b'\'' | b'"' => sql[i + 1..].find(c as char).map(|e| i + 1 + e + 1),
            b'-' if b.get(i + 1) == Some(&b'-') => {
                Some(sql[i..].find('\n').map_or(b.len(), |e| i + e))
            }
            b'/' if b.get(i + 1) == Some(&b'*') => sql[i + 2..].find("*/").map(|e| i + 2 + e + 2),
            _ => None,
        };
        if let Some(end) = skip_to {
            out.push_str(&sql[i..end]);
            i = end;
            continue;
        }
        let rest = &lower[i..];
        let call = ["sqlc.arg(", "sqlc.narg(", "sqlc.embed("]
            .iter()
            .find(|p| rest.starts_with(**p));
        if let Some(prefix) = call {
            let open = i + prefix.len();
            let close = open + sql[open..].find(')')?;
            let inner = &sql[open..close];
            if *prefix == "sqlc.embed(" {
                out.push_str(inner.trim());
                out.push_str(".*");
            } else {
                out.push_str(&format!("${}", number(inner)));
            }
            i = close + 1;
            continue;
        }
        let prev = out.chars().last().unwrap_or(' ');
        let next = b.get(i + 1).copied().unwrap_or(b' ');
        if c == b'@'
            && (next.is_ascii_alphabetic() || next == b'_')
            && !"@<>=~!#%^&|`?+-*/".contains(prev)
        {
            let end = i
                + 1
                + sql[i + 1..]
                    .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                    .unwrap_or(sql.len() - i - 1);
            out.push_str(&format!("${}", number(&sql[i + 1..end])));
            i = end;
            continue;
        }
        let ch = sql[i..].chars().next()?;
        out.push(ch);
        i += ch.len_utf8();
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::sqlc_to_postgres;

    #[test]
    fn sqlc_parameters_become_numbered() {
        assert_eq!(
            sqlc_to_postgres(
                "SELECT * FROM t WHERE a = @a AND b = sqlc.arg(b) AND c = sqlc.narg('a')"
            )
            .unwrap(),
            "SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $1"
        );
        assert_eq!(
            sqlc_to_postgres("SELECT sqlc.embed(u), x FROM u WHERE tags @> $1 AND y = @y").unwrap(),
            "SELECT u.*, x FROM u WHERE tags @> $1 AND y = $2"
        );
        assert_eq!(
            sqlc_to_postgres("SELECT '@a' -- @b\nFROM t").unwrap(),
            "SELECT '@a' -- @b\nFROM t"
        );
        assert!(sqlc_to_postgres("SELECT * FROM t WHERE id IN (sqlc.slice(ids))").is_none());
    }
}
