//! One path from a crate and a macro call to the verdict the macro acts on: the service
//! located, its configuration loaded, its catalog built (with sibling services) and gated
//! by its lints, named parameters rewritten, the SQL analysed, the arguments matched and
//! every type given its Rust type. The macro writes tokens from a [`Verdict`]; `describe`
//! and `check` print it. None of them re-derives any of it.

mod cache;
pub mod call;
mod doc;
pub mod locate;
pub mod rust_types;

use std::path::PathBuf;

pub use cache::{built, clear_cache, compact, Built};
pub use call::{ArgShape, Form};
pub use locate::{locate, locate_from_env, Located, MIGRATIONS_ENV};
pub use rust_types::{Features, RustType, Wire};

use crate::analysis::{analyze_source, Analysis};
use crate::catalog::Catalog;
use crate::diagnostic::{Code, Diagnostic};
use crate::named_params::rewrite_named;
use crate::source::SourceFile;

/// Where in the call a finding belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// The SQL literal. A diagnostic with a source has its range in the SQL as written.
    Sql,
    /// The call's argument of this index (its expression, or its name when named).
    Arg(usize),
}

/// A diagnostic of a call and where in the call it belongs.
#[derive(Debug, Clone)]
pub struct Finding {
    pub at: At,
    pub diagnostic: Diagnostic,
}

impl Finding {
    fn sql(diagnostic: Diagnostic) -> Finding {
        Finding {
            at: At::Sql,
            diagnostic,
        }
    }
}

/// A call that does not check: its findings, and as much of its result's shape as is known,
/// so that the macro can give the failed query its row type and the code using it sees no
/// follow-up errors.
#[derive(Debug)]
pub struct Rejected {
    pub findings: Vec<Finding>,
    pub shape: Shape,
}

/// What is known of the result of a call that does not check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    Unknown,
    /// The record's field names, read from the SQL's text (the analysis failed, so their
    /// types are unknown).
    Fields(Vec<String>),
    /// The columns, decided before the failure (an argument is wrong, the SQL is fine).
    Columns(Vec<Column>),
}

impl From<Vec<Finding>> for Rejected {
    fn from(findings: Vec<Finding>) -> Rejected {
        Rejected {
            findings,
            shape: Shape::Unknown,
        }
    }
}

/// The record's field names as the SQL's text shows them, when all are plain to see and
/// valid (the same names and overrides [`columns`] reads).
fn fields_from_text(form: Form, sql: &str, catalog: &Catalog) -> Shape {
    // A relation's columns as `*` shows them: a table's, a view's whose query was analysed.
    let columns = |name: &sqlparser::ast::ObjectName| {
        let key = crate::catalog::object_key(name)?;
        match catalog.table(&key) {
            Some(t) => Some(t.columns.iter().map(|c| c.name.clone()).collect()),
            None => {
                let view = catalog.view(&key)?.columns.as_ref()?;
                Some(view.iter().map(|c| c.name.clone()).collect())
            }
        }
    };
    let names = match form {
        Form::Record => crate::analysis::colname::result_names(sql, &columns),
        Form::As | Form::Scalar => None,
    };
    let fields: Option<Vec<String>> = names.and_then(|names| {
        names
            .iter()
            .map(|n| field_name(&parse_override(n).0).ok())
            .collect()
    });
    match fields {
        Some(f) if !f.is_empty() && (1..f.len()).all(|i| !f[..i].contains(&f[i])) => {
            Shape::Fields(f)
        }
        _ => Shape::Unknown,
    }
}

/// What binds parameter `$n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The call's argument of this index.
    Arg(usize),
    /// The local variable of the `:name` parameter's name, as `format!` uses inline names.
    Local(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub source: Source,
    pub rust: RustType,
}

/// A result column as the record (or the target struct) gets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The field name (`None` for `checked_query_scalar!`, whose column is unnamed).
    pub field: Option<String>,
    /// The Rust type, `Option<…>` when the column may be NULL.
    pub ty: String,
    pub wire: Wire,
    /// The type was named in the SQL (`AS "col: MyType"`).
    pub custom: bool,
    /// What the checker knows of the column, for the field's doc comment (an editor shows
    /// it on hover): its PostgreSQL type and whether it can be NULL, and why.
    pub doc: String,
}

/// Everything the macro acts on, for a call that checks.
#[derive(Debug)]
pub struct Verdict {
    /// The SQL as it runs (`:name` rewritten to `$n`).
    pub sql: String,
    /// Named parameters in `$n` order (empty for positional SQL).
    pub names: Vec<String>,
    /// The analysis, warnings included.
    pub analysis: Analysis,
    /// One per parameter, in `$n` order.
    pub bindings: Vec<Binding>,
    pub columns: Vec<Column>,
}

/// Every file a verdict on the located service depends on, as absolute paths: the macro
/// `include_bytes!`s them so that an edit recompiles the crate.
pub fn dependency_files(located: &Located, built: &Built) -> std::sync::Arc<Vec<PathBuf>> {
    built.dependency_files(&located.service)
}

/// A call to check: the SQL as written in the literal, the macro, its arguments.
pub struct Request<'a> {
    pub sql: &'a str,
    pub form: Form,
    pub args: &'a [ArgShape],
    /// Features of the crate's `checked-query` dependency.
    pub features: Features,
}

/// A query analysed as the macro analyses it: `:name` parameters rewritten to `$n`, and
/// diagnostics at positions of the SQL as written.
#[derive(Debug)]
pub struct Analysed {
    /// The SQL as it runs.
    pub sql: String,
    /// Named parameters in `$n` order (empty for positional SQL).
    pub names: Vec<String>,
    pub analysis: Analysis,
}

/// Analyses `sql` against a service's catalog, named parameters included: the SQL stage of
/// [`check_call`], which `describe` runs alone.
pub fn analyse(service: &crate::ServiceCatalog, sql: &str) -> Result<Analysed, Diagnostic> {
    let file = SourceFile::inline(sql);
    let placeholders = rewrite_named(&file)?;
    // Analyse the rewritten SQL but report positions in the SQL as written (same lengths).
    let rewritten = SourceFile::inline(&placeholders.sql);
    let mut analysis = analyze_source(service.context(), &rewritten);
    for d in &mut analysis.diagnostics {
        d.source = Some(file.clone());
    }
    Ok(Analysed {
        sql: placeholders.sql,
        names: placeholders.names,
        analysis,
    })
}

/// The verdict on one call, or what is wrong with it. Checks run in stages (service,
/// SQL, arguments, Rust types, result shape) and a failing stage reports all its findings
/// and stops, as later stages depend on it.
pub fn check_call(located: &Located, built: &Built, req: &Request) -> Result<Verdict, Rejected> {
    let service = built.service(located).map_err(|d| vec![Finding::sql(d)])?;
    let Analysed {
        sql,
        names,
        analysis,
    } = analyse(service, req.sql).map_err(|d| vec![Finding::sql(d)])?;
    // A CockroachDB divergence in a query changes the Rust type that decodes the result on
    // one of the two databases: in a build it is an error explaining the cast to add.
    let fatal: Vec<Finding> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.is_error() || d.code == Code::CrdbDivergence)
        .cloned()
        .map(|mut d| {
            d.severity = crate::diagnostic::Severity::Error;
            Finding::sql(d)
        })
        .collect();
    if !fatal.is_empty() {
        return Err(Rejected {
            findings: fatal,
            shape: fields_from_text(req.form, &sql, &service.catalog),
        });
    }
    let columns = columns(req.form, &analysis, located, req.features);
    let rejected = |findings| Rejected {
        findings,
        shape: match &columns {
            Ok(c) => Shape::Columns(c.clone()),
            Err(_) => Shape::Unknown,
        },
    };
    let sources = arguments(req.args, &names, &analysis).map_err(rejected)?;
    let mut findings = Vec::new();
    let mut bindings = Vec::new();
    for (i, (source, pg)) in sources.into_iter().zip(&analysis.params).enumerate() {
        match rust_types::rust_type(pg, &located.user_types, req.features) {
            Ok(rust) => bindings.push(Binding { source, rust }),
            Err(e) => findings.push(Finding {
                at: match source {
                    Source::Arg(a) => At::Arg(a),
                    Source::Local(_) => At::Sql,
                },
                diagnostic: Diagnostic::new(Code::NoRustType, format!("parameter ${}: {e}", i + 1)),
            }),
        }
    }
    if !findings.is_empty() {
        return Err(rejected(findings));
    }
    let columns = columns?;
    Ok(Verdict {
        sql,
        names,
        analysis,
        bindings,
        columns,
    })
}

fn finding(at: At, code: Code, message: String) -> Finding {
    Finding {
        at,
        diagnostic: Diagnostic::new(code, message),
    }
}

/// What binds each parameter, in `$n` order: the call's arguments matched to the query's
/// parameters by position, or by name for `:name` parameters.
fn arguments(
    args: &[ArgShape],
    names: &[String],
    analysis: &Analysis,
) -> Result<Vec<Source>, Vec<Finding>> {
    let count = analysis.params.len();
    let mut errors = Vec::new();
    if !names.is_empty() {
        let out = names
            .iter()
            .map(|name| {
                match args
                    .iter()
                    .position(|a| matches!(a, ArgShape::Named(n) if n == name))
                {
                    Some(i) => Source::Arg(i),
                    // Like format!'s inline arguments: the local variable of that name.
                    None => Source::Local(name.clone()),
                }
            })
            .collect();
        for (i, a) in args.iter().enumerate() {
            match a {
                ArgShape::Named(n) if !names.contains(n) => errors.push(finding(
                    At::Arg(i),
                    Code::ArgumentCount,
                    format!(
                        "unused argument: the query has no parameter `:{n}` (it has {})",
                        names
                            .iter()
                            .map(|x| format!("`:{x}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
                ArgShape::Positional => errors.push(finding(
                    At::Arg(i),
                    Code::NamedArgument,
                    "this query uses named parameters (`:name`): pass `name = value`, or let a local variable of that name be used".to_string(),
                )),
                ArgShape::Named(_) => {}
            }
        }
        return if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        };
    }
    let mut out = Vec::new();
    for (i, a) in args.iter().enumerate() {
        match a {
            ArgShape::Named(_) => errors.push(finding(
                At::Arg(i),
                Code::NamedArgument,
                "named arguments need `:name` parameters in the SQL; this query uses `$n`"
                    .to_string(),
            )),
            ArgShape::Positional if i >= count => errors.push(finding(
                At::Arg(i),
                Code::ArgumentCount,
                format!(
                    "unused argument: the query has {count} parameter{}",
                    if count == 1 { "" } else { "s" }
                ),
            )),
            ArgShape::Positional => out.push(Source::Arg(i)),
        }
    }
    if args.len() < count {
        let missing: Vec<String> = analysis.params[args.len()..]
            .iter()
            .enumerate()
            .map(|(k, t)| format!("${} ({t})", args.len() + k + 1))
            .collect();
        errors.push(finding(
            At::Sql,
            Code::ArgumentCount,
            format!(
                "expected {count} argument{} but got {}: missing {}",
                if count == 1 { "" } else { "s" },
                args.len(),
                missing.join(", ")
            ),
        ));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Splits sqlx-style overrides off a column alias: `name!`, `name?`, `name: Type`.
fn parse_override(name: &str) -> (String, Option<bool>, Option<String>) {
    if name == "?column?" {
        return (name.to_string(), None, None);
    }
    let (head, ty) = match name.split_once(':') {
        Some((h, t)) => (h.trim(), Some(t.trim().to_string())),
        None => (name, None),
    };
    if let Some(h) = head.strip_suffix('!') {
        (h.to_string(), Some(false), ty)
    } else if let Some(h) = head.strip_suffix('?') {
        (h.to_string(), Some(true), ty)
    } else {
        (head.to_string(), None, ty)
    }
}

/// The column's name as a Rust field name, or why it cannot be one.
fn field_name(name: &str) -> Result<String, String> {
    if name == "?column?" {
        return Err("a result column has no name (PostgreSQL calls it `?column?`): give it one with `AS name` in the SQL".to_string());
    }
    let ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        // Identifiers no Rust field can have, raw or not.
        && !matches!(name, "_" | "self" | "Self" | "super" | "crate");
    if !ok {
        return Err(format!(
            "column `{name}` cannot be a Rust field name: give it one with `AS name` in the SQL"
        ));
    }
    Ok(name.to_string())
}

/// The result columns as the call's form takes them.
fn columns(
    form: Form,
    analysis: &Analysis,
    located: &Located,
    features: Features,
) -> Result<Vec<Column>, Vec<Finding>> {
    let count = analysis.columns.len();
    let shape = |m: String| Err(vec![finding(At::Sql, Code::ResultShape, m)]);
    match form {
        Form::As if count == 0 => {
            return shape(
                "this statement returns no columns: use `checked_query!` and `.execute()`"
                    .to_string(),
            )
        }
        Form::Scalar if count != 1 => {
            return shape(format!("checked_query_scalar! needs exactly one result column; this query returns {count}: use `checked_query!` for several"))
        }
        _ => {}
    }
    let need_names = form != Form::Scalar;
    let mut out: Vec<Column> = Vec::new();
    let mut errors = Vec::new();
    for (i, c) in analysis.columns.iter().enumerate() {
        let (name, nullable_override, ty_override) = parse_override(&c.name);
        let field = if need_names {
            match field_name(&name) {
                Ok(f) => Some(f),
                Err(e) => {
                    errors.push(finding(At::Sql, Code::ResultShape, e));
                    continue;
                }
            }
        } else {
            None
        };
        if field.is_some() && out.iter().any(|c| c.field == field) {
            errors.push(finding(
                At::Sql,
                Code::ResultShape,
                format!("two result columns are named `{name}`: give one another name with `AS`"),
            ));
            continue;
        }
        let nullable = nullable_override.unwrap_or(c.nullable);
        let (base, custom) = match &ty_override {
            Some(t) => match syn::parse_str::<syn::Type>(t) {
                Ok(_) => (
                    RustType {
                        path: t.clone(),
                        wire: Wire::Plain,
                    },
                    true,
                ),
                Err(e) => {
                    errors.push(finding(
                        At::Sql,
                        Code::NoRustType,
                        format!("column `{name}`: `{t}` is not a Rust type ({e})"),
                    ));
                    continue;
                }
            },
            None => match rust_types::rust_type(&c.ty, &located.user_types, features) {
                Ok(t) => (t, false),
                Err(e) => {
                    errors.push(finding(
                        At::Sql,
                        Code::NoRustType,
                        format!("column `{name}`: {e}"),
                    ));
                    continue;
                }
            },
        };
        let ty = if nullable {
            format!("::std::option::Option<{}>", base.path)
        } else {
            base.path
        };
        let decoded = if custom {
            format!("; decoded as `{ty}`, the type its name gives")
        } else {
            String::new()
        };
        let provenance = analysis.provenance.get(i);
        out.push(Column {
            doc: doc::field(&name, c, provenance, nullable_override, &decoded),
            field,
            ty,
            wire: base.wire,
            custom,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::{field_name, fields_from_text, Form, Shape};
    use crate::catalog::Catalog;

    /// `users (id, email)` and `orders (id, user_id, total)`, as migrations would build them.
    fn catalog() -> Catalog {
        let file = crate::source::SourceFile::inline(
            "CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT NOT NULL);\n\
             CREATE TABLE orders (id BIGINT PRIMARY KEY, user_id TEXT, total NUMERIC);\n\
             CREATE VIEW totals AS SELECT user_id, sum(total) AS spent FROM orders GROUP BY user_id;",
        );
        let mut catalog = Catalog::new("s");
        let section = crate::migrations::Section {
            range: 0..file.text.len(),
            file,
        };
        let env = crate::policies::Env::default();
        let diagnostics = crate::interpreter::apply_section(&mut catalog, &env, &section);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        catalog
    }

    fn fields(sql: &str) -> Shape {
        fields_from_text(Form::Record, sql, &catalog())
    }

    fn names(n: &[&str]) -> Shape {
        Shape::Fields(n.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn field_names_are_what_a_rust_struct_can_have() {
        // Keywords become raw identifiers (`r#type`) in the macro; these five cannot.
        for ok in ["id", "type", "_x", "created_at"] {
            assert_eq!(field_name(ok).as_deref(), Ok(ok));
        }
        for bad in [
            "_", "self", "Self", "super", "crate", "1a", "a b", "?column?",
        ] {
            assert!(field_name(bad).unwrap_err().contains("AS name"), "{bad}");
        }
    }

    #[test]
    fn a_failed_query_keeps_the_field_names_its_text_shows() {
        assert_eq!(
            fields("SELECT id, emial FROM users"),
            names(&["id", "emial"])
        );
        assert_eq!(
            fields("SELECT u.id, count(*), lower(email) AS e, x::int FROM userz u"),
            names(&["id", "count", "e", "x"])
        );
        // Overrides name the field as the macro does; keywords stay (raw identifiers).
        assert_eq!(
            fields(r#"SELECT id AS "id!", t AS "type: Kind" FROM nope"#),
            names(&["id", "type"])
        );
        // A set operation takes its first branch's names; DML its RETURNING list.
        assert_eq!(
            fields("SELECT a FROM x UNION SELECT b FROM y"),
            names(&["a"])
        );
        assert_eq!(
            fields("UPDATE users SET emial = $1 RETURNING id"),
            names(&["id"])
        );
    }

    #[test]
    fn a_star_takes_the_columns_of_the_relations_it_covers() {
        assert_eq!(
            fields("SELECT * FROM users WHERE emial = $1"),
            names(&["id", "email"])
        );
        assert_eq!(
            fields(
                "SELECT u.*, o.total FROM users u JOIN orders o ON o.user_id = u.id WHERE o.x = 1"
            ),
            names(&["id", "email", "total"])
        );
        assert_eq!(
            fields("SELECT users.*, 1 AS one FROM users, totals WHERE nope"),
            names(&["id", "email", "one"])
        );
        assert_eq!(
            fields("SELECT * FROM totals t WHERE t.nope = 1"),
            names(&["user_id", "spent"])
        );
        assert_eq!(
            fields("INSERT INTO users (id, emial) VALUES ($1, $2) RETURNING *"),
            names(&["id", "email"])
        );
        assert_eq!(
            fields("UPDATE users SET emial = $1 RETURNING *"),
            names(&["id", "email"])
        );
        assert_eq!(
            fields("DELETE FROM orders WHERE nope RETURNING total AS sum, *"),
            names(&["sum", "id", "user_id", "total"])
        );
    }

    #[test]
    fn each_column_says_where_it_comes_from_and_why_it_is_or_is_not_null() {
        let root = std::env::temp_dir().join(format!("cq-doc-{}", std::process::id()));
        let dir = root.join("migrations");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("001_t.sql"),
            "-- +migrate Up\nCREATE TABLE t (id BIGINT PRIMARY KEY, note TEXT);\nCREATE TABLE u (t_id BIGINT NOT NULL, label TEXT NOT NULL);\n-- +migrate Down\nDROP TABLE u;\nDROP TABLE t;\n",
        )
        .unwrap();
        let located = super::Located::from_dir(dir).unwrap();
        let built = super::built(&located);
        let docs = |sql: &str| -> Vec<String> {
            let request = super::Request {
                sql,
                form: Form::Record,
                args: &[super::call::ArgShape::Positional],
                features: Default::default(),
            };
            let verdict = super::check_call(&located, &built, &request).unwrap();
            verdict.columns.into_iter().map(|c| c.doc).collect()
        };
        assert_eq!(
            docs(r#"SELECT id, note, id AS "maybe?" FROM t WHERE id = $1"#),
            [
                "`id`: from `t.id`, PostgreSQL `bigint`, never NULL: the column is NOT NULL.",
                "`note`: from `t.note`, PostgreSQL `text`, may be NULL: the column is nullable, so an `Option`.",
                "`maybe`: from `t.id`, PostgreSQL `bigint`, may be NULL: `?` in its name says so.",
            ]
        );
        let joined = docs(
            "SELECT x.note, u.label, x.id + 1 AS next FROM t AS x LEFT JOIN u ON u.t_id = x.id WHERE x.note IS NOT NULL AND x.id = $1",
        );
        assert_eq!(
            joined[..2],
            [
                "`note`: from `x.note` (table `t`), PostgreSQL `text`, never NULL: the column is nullable, but the WHERE clause keeps only rows where it is not.",
                "`label`: from `u.label`, PostgreSQL `text`, may be NULL: `u` is on the nullable side of an outer join, so an `Option`.",
            ]
        );
        assert_eq!(joined[2], "`next`: PostgreSQL `bigint`, never NULL.");
        // Aggregates: NULL over no rows, except count; a window call is an expression.
        assert_eq!(
            docs("SELECT COUNT(*), max(note) AS last, (min(id)), count(*) OVER () AS w FROM t WHERE id = $1"),
            [
                "`count`: PostgreSQL `bigint`, never NULL: `COUNT` gives 0 when it counts no rows.",
                "`last`: PostgreSQL `text`, may be NULL: `max` gives NULL when it aggregates no rows, so an `Option`.",
                "`min`: PostgreSQL `bigint`, may be NULL: `min` gives NULL when it aggregates no rows, so an `Option`.",
                "`w`: PostgreSQL `bigint`, never NULL.",
            ]
        );
        let sub = docs("SELECT s.n FROM (SELECT count(*) AS n FROM t WHERE id = $1) AS s");
        assert_eq!(
            sub,
            ["`n`: from `s.n` (a subquery, CTE or function), PostgreSQL `bigint`, never NULL: the query it comes from never gives NULL there."]
        );
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn names_not_plain_to_see_leave_the_shape_unknown() {
        for sql in [
            "SELECT * FROM userz",
            // USING merges the join columns; a CTE or subquery is not the table.
            "SELECT * FROM users JOIN orders USING (id) WHERE nope",
            "SELECT * FROM users NATURAL JOIN orders",
            "WITH users AS (SELECT 1 AS n) SELECT * FROM users WHERE nope",
            "SELECT * FROM (SELECT id FROM users) s WHERE nope",
            "SELECT * FROM generate_series(1, 3) WHERE nope",
            "SELECT * FROM users, userz",
            "SELECT x.* FROM users WHERE nope",
            "SELECT * FROM users AS u (a, b) WHERE nope",
            "UPDATE users SET email = o.id FROM orders o WHERE nope RETURNING *",
            "DELETE FROM users USING orders WHERE nope RETURNING *",
            // Two fields of one name: no record can hold them.
            "DELETE FROM orders WHERE nope RETURNING id, *",
            "SELECT 1 + 2 FROM userz",
            "SELECT a, a FROM userz",
            "UPDATE users SET emial = $1",
            "SELECT FROM FROM",
        ] {
            assert_eq!(fields(sql), Shape::Unknown, "{sql}");
        }
        assert_eq!(
            fields_from_text(Form::Scalar, "SELECT id FROM userz", &catalog()),
            Shape::Unknown
        );
    }
}
