//! Analysis unit tests on a small schema. The differential test in `tests/` holds the
//! analysis to PostgreSQL's answers on a large corpus; these pin the rules PostgreSQL cannot
//! show at PREPARE time (nullability) and document the behaviour construct by construct.

use super::{Analysis, Context};
use crate::catalog::Catalog;
use crate::interpreter::apply_section;
use crate::migrations::Section;
use crate::policies::Env;
use crate::source::SourceFile;

const SCHEMA: &str = "
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE users (id uuid PRIMARY KEY, email text NOT NULL, name varchar(50), mood mood, score int, tags text[] NOT NULL DEFAULT '{}');
CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id uuid NOT NULL REFERENCES users (id), body text, created_at timestamptz NOT NULL DEFAULT now());
CREATE VIEW user_posts AS SELECT u.email, p.body FROM users u LEFT JOIN posts p ON p.user_id = u.id;
CREATE FUNCTION pairs() RETURNS SETOF record LANGUAGE sql AS $$ SELECT 1, 'a'::text $$;
";

/// These pin PostgreSQL's behaviour; CockroachDB's rules have tests of their own.
fn postgres_only() -> Env {
    let mut env = Env::default();
    env.settings.postgres_only = true;
    env
}

/// Analyses `sql` against `cat` for a PostgreSQL-only service.
fn analyze_sql(cat: &Catalog, sql: &str) -> Analysis {
    super::analyze_sql(
        Context {
            catalog: cat,
            env: &postgres_only(),
        },
        sql,
    )
}

fn catalog() -> Catalog {
    let file = SourceFile::inline(SCHEMA);
    let mut cat = Catalog::new("svc");
    let d = apply_section(
        &mut cat,
        &postgres_only(),
        &Section {
            file: file.clone(),
            range: 0..SCHEMA.len(),
        },
    );
    assert!(d.is_empty(), "{d:?}");
    cat
}

fn ok(sql: &str) -> Analysis {
    let a = analyze_sql(&catalog(), sql);
    assert!(
        a.ok(),
        "{sql}: {:?}",
        a.diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    a
}

fn err(sql: &str) -> String {
    let a = analyze_sql(&catalog(), sql);
    assert!(!a.ok(), "{sql}: expected an error");
    a.diagnostics[0].message.clone()
}

/// `name type[?]` per column, `?` marking nullable.
fn cols(a: &Analysis) -> Vec<String> {
    a.columns
        .iter()
        .map(|c| format!("{} {}{}", c.name, c.ty, if c.nullable { "?" } else { "" }))
        .collect()
}

fn params(a: &Analysis) -> Vec<String> {
    a.params.iter().map(|t| t.to_string()).collect()
}

#[test]
fn star_expands_in_catalog_order_with_nullability() {
    assert_eq!(
        cols(&ok("SELECT * FROM users")),
        [
            "id uuid",
            "email text",
            "name character varying?",
            "mood mood?",
            "score integer?",
            "tags text[]"
        ]
    );
}

#[test]
fn outer_joins_make_the_nullable_side_nullable() {
    let a = ok("SELECT u.email, p.id FROM users u LEFT JOIN posts p ON p.user_id = u.id");
    assert_eq!(cols(&a), ["email text", "id bigint?"]);
    let a = ok("SELECT u.email, p.id FROM users u RIGHT JOIN posts p ON p.user_id = u.id");
    assert_eq!(cols(&a), ["email text?", "id bigint"]);
    let a = ok("SELECT u.email, p.id FROM users u FULL JOIN posts p ON p.user_id = u.id");
    assert_eq!(cols(&a), ["email text?", "id bigint?"]);
}

#[test]
fn where_narrows_columns_to_non_null() {
    assert_eq!(
        cols(&ok("SELECT name FROM users WHERE name IS NOT NULL")),
        ["name character varying"]
    );
    assert_eq!(
        cols(&ok("SELECT score FROM users WHERE score = $1")),
        ["score integer"]
    );
    assert_eq!(
        cols(&ok(
            "SELECT p.id FROM users u LEFT JOIN posts p ON p.user_id = u.id WHERE p.body LIKE 'a%'"
        )),
        ["id bigint?"]
    );
    // OR proves nothing.
    assert_eq!(
        cols(&ok(
            "SELECT name FROM users WHERE name IS NOT NULL OR score > 1"
        )),
        ["name character varying?"]
    );
}

#[test]
fn aggregates_and_functions_carry_their_nullability() {
    let a = ok("SELECT count(*), count(score), sum(score), max(email) FROM users");
    assert_eq!(
        cols(&a),
        ["count bigint", "count bigint", "sum bigint?", "max text?"]
    );
    let a =
        ok("SELECT coalesce(score, 0), coalesce(score, name::int), nullif(email, '') FROM users");
    assert_eq!(
        cols(&a),
        ["coalesce integer", "coalesce integer?", "nullif text?"]
    );
    assert_eq!(
        cols(&ok("SELECT lower(email), lower(name) FROM users")),
        ["lower text", "lower text?"]
    );
    assert_eq!(
        cols(&ok("SELECT (SELECT 1) AS one, EXISTS (SELECT 1) AS e")),
        ["one integer?", "e boolean"]
    );
}

#[test]
fn views_keep_the_nullability_of_their_query() {
    assert_eq!(
        cols(&ok("SELECT * FROM user_posts")),
        ["email text", "body text?"]
    );
}

#[test]
fn parameters_are_typed_from_their_context() {
    assert_eq!(
        params(&ok(
            "SELECT id FROM users WHERE email = $1 AND score > $2 LIMIT $3"
        )),
        ["text", "integer", "bigint"]
    );
    assert_eq!(
        params(&ok("SELECT id FROM users WHERE id = ANY($1)")),
        ["uuid[]"]
    );
    assert_eq!(
        params(&ok(
            "INSERT INTO users (id, email, name, mood) VALUES ($1, $2, $3, $4)"
        )),
        ["uuid", "text", "character varying", "mood"]
    );
    assert_eq!(
        params(&ok("UPDATE users SET score = $1 WHERE id = $2")),
        ["integer", "uuid"]
    );
    assert_eq!(
        params(&ok("SELECT id FROM users WHERE name = $1")),
        ["text"]
    );
    assert_eq!(
        params(&ok(
            "SELECT id FROM users WHERE ($1::text IS NULL OR email = $1)"
        )),
        ["text"]
    );
    assert!(err("SELECT id FROM users WHERE $1 IS NULL")
        .contains("could not determine data type of parameter $1"));
    assert!(err("SELECT id FROM users WHERE id = $2").contains("parameter $1 is never used"));
}

#[test]
fn literals_are_checked_against_their_type() {
    ok("SELECT id FROM users WHERE mood = 'happy'");
    assert!(err("SELECT id FROM users WHERE mood = 'angry'").contains("not a label of enum `mood`"));
    assert!(err("SELECT id FROM users WHERE id = 42")
        .contains("operator does not exist: uuid = integer"));
    assert!(err("SELECT id FROM users WHERE score = 'x'")
        .contains("invalid input syntax for type integer"));
}

#[test]
fn names_follow_postgres() {
    let a = ok("SELECT email, 1, $1::int, score::text, lower(email), CASE WHEN true THEN 1 END, u.id FROM users u");
    let names: Vec<_> = a.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["email", "?column?", "int4", "score", "lower", "case", "id"]
    );
}

#[test]
fn grouping_rule_with_functional_dependency() {
    ok("SELECT u.id, u.email, count(p.id) FROM users u LEFT JOIN posts p ON p.user_id = u.id GROUP BY u.id");
    assert!(err("SELECT email, count(*) FROM users GROUP BY score")
        .contains("must appear in the GROUP BY clause"));
}

#[test]
fn name_errors_suggest_and_disambiguate() {
    assert!(err("SELECT emial FROM users").contains("unknown column `emial`"));
    assert!(
        err("SELECT id FROM users JOIN posts ON posts.user_id = users.id").contains("ambiguous")
    );
    assert!(err("SELECT users.id FROM users u").contains("invalid reference to FROM-clause entry"));
    assert!(err("SELECT * FROM userz").contains("unknown table `userz`"));
}

#[test]
fn writes_check_targets() {
    assert!(
        err("INSERT INTO users (id) VALUES ($1)").contains("`email` of table `users` is NOT NULL")
    );
    assert!(err("INSERT INTO posts (id, user_id) VALUES (1, $1)").contains("GENERATED ALWAYS"));
    assert!(err("INSERT INTO users (id, email) VALUES ($1)")
        .contains("more target columns than expressions"));
    assert!(
        err("INSERT INTO users (id, email) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .contains("no unique or exclusion constraint")
    );
    assert_eq!(
        cols(&ok("DELETE FROM posts WHERE id = $1 RETURNING *")),
        [
            "id bigint",
            "user_id uuid",
            "body text?",
            "created_at timestamp with time zone"
        ]
    );
}

#[test]
fn postgres_own_relations_are_a_read_only_catalog() {
    let a = ok("SELECT c.relname, n.nspname FROM pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = 'users'::regclass");
    assert_eq!(cols(&a), ["relname name", "nspname name"]);
    let a =
        ok("SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = $1");
    // As PostgreSQL describes them (`\gdesc`): the domains' base types.
    assert_eq!(
        cols(&a),
        ["column_name name?", "is_nullable character varying?"]
    );
    assert_eq!(a.params[0].to_string(), "name");
    assert!(err("SELECT relname FROM information_schema.pg_class").contains("unknown table"));
    assert!(err("DELETE FROM pg_class").contains("only read"));
    assert!(err("SELECT 'nope'::regnamespace").contains("schema `nope` does not exist"));
    let a = ok("SELECT key, value FROM jsonb_each($1::jsonb)");
    assert_eq!(cols(&a), ["key text", "value jsonb"]);
}

#[test]
fn unsupported_constructs_are_reported_not_guessed() {
    assert!(err("SELECT (u).* FROM users u").contains("expected"));
    assert!(err("SELECT stxdndistinct FROM pg_statistic_ext_data")
        .starts_with("not supported yet: the relation `pg_statistic_ext_data`"));
    assert!(err("SELECT unknown_fn(1)").contains("unknown function"));
}

/// The catalog with CockroachDB as a target (the default).
fn crdb(sql: &str) -> Analysis {
    let file = SourceFile::inline(SCHEMA);
    let mut cat = Catalog::new("svc");
    let _ = apply_section(
        &mut cat,
        &Env::default(),
        &Section {
            file: file.clone(),
            range: 0..SCHEMA.len(),
        },
    );
    super::analyze_sql(
        Context {
            catalog: &cat,
            env: &Env::default(),
        },
        sql,
    )
}

fn crdb_rules(sql: &str) -> Vec<String> {
    crdb(sql)
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("CockroachDB"))
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn cockroach_rules_fire_on_resolved_nodes() {
    for (sql, rule) in [
        ("SELECT pg_advisory_lock(1)", "(advisory-locks)"),
        ("SELECT pg_try_advisory_xact_lock(1)", "(advisory-locks)"),
        ("SELECT pg_notify('c', email) FROM users", "(listen-notify)"),
        ("NOTIFY c", "(listen-notify)"),
        (
            "SELECT id FROM users WHERE to_tsvector(email) IS NOT NULL",
            "(full-text-search)",
        ),
        ("SELECT $1::tsquery", "(full-text-search)"),
        ("SELECT ctid FROM users", "(system-columns)"),
        ("SELECT lo_unlink(1)", "(large-objects)"),
        ("SELECT score / 2 AS half FROM users", "(integer-division)"),
        ("SELECT sum(score) AS s FROM users", "(sum-of-integers)"),
        ("SELECT score FROM users", "(int-width)"),
    ] {
        let found = crdb_rules(sql);
        assert!(found.iter().any(|m| m.ends_with(rule)), "{sql}: {found:?}");
    }
}

#[test]
fn cockroach_near_misses_pass() {
    for sql in [
        "SELECT 'pg_notify' AS pg_advisory_lock FROM users",
        "SELECT email FROM users WHERE email = 'to_tsvector(x) @@ y'",
        "SELECT (score / 2)::int8 AS half, sum(score)::int8 AS s FROM users GROUP BY score",
        "SELECT score::int8 AS score FROM users",
        "SELECT count(*) AS n FROM users",
    ] {
        let a = crdb(sql);
        assert!(
            a.ok() && crdb_rules(sql).is_empty(),
            "{sql}: {:?}",
            a.diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
    }
    // Opting out: the same query is fine for a PostgreSQL-only service, where the advisory
    // lock functions are known ones.
    let a = analyze_sql(&catalog(), "SELECT ctid, pg_advisory_lock(1) FROM users");
    assert!(a.ok(), "{:?}", a.diagnostics);
    assert_eq!(cols(&a), ["ctid tid", "pg_advisory_lock void"]);
}

#[test]
fn operators_resolve_from_the_table() {
    // (expression, result type, parameter types): the rows of pg_operator and
    // oper_select_candidate's rules, as PostgreSQL 15 answers them.
    for (expr, result, ps) in [
        ("score + 1::bigint", "bigint", vec![]),
        ("1.5::real + 2::numeric", "double precision", vec![]),
        ("2::numeric / score", "numeric", vec![]),
        ("score + $1", "integer", vec!["integer"]),
        ("score ^ $1", "double precision", vec!["double precision"]),
        ("now() - $1", "interval", vec!["timestamp with time zone"]),
        ("now() + $1", "timestamp with time zone", vec!["interval"]),
        ("current_date - current_date", "integer", vec![]),
        ("current_date - now()::timestamp", "interval", vec![]),
        ("'{}'::jsonb - $1", "jsonb", vec!["text"]),
        ("name || $1", "text", vec!["text"]),
        ("tags || $1", "text[]", vec!["text[]"]),
        ("tags || 'x'::varchar", "text[]", vec![]),
        ("score || 'x'", "text", vec![]),
        ("$1 || $2", "text", vec!["text", "text"]),
        ("'\\x00'::bytea || '\\x01'::bytea", "bytea", vec![]),
        ("score & 3", "integer", vec![]),
        ("score::bigint << 2", "bigint", vec![]),
        ("$1 ? 'k'", "boolean", vec!["jsonb"]),
        ("tags @> $1", "boolean", vec!["text[]"]),
        // No time + time: the last rule assumes time and casts it implicitly to interval.
        (
            "now()::time + $1",
            "time without time zone",
            vec!["interval"],
        ),
    ] {
        let a = ok(&format!("SELECT {expr} AS x FROM users"));
        assert_eq!(a.columns[0].ty.to_string(), result, "{expr}");
        assert_eq!(params(&a), ps, "{expr}");
    }
    for (expr, message) in [
        (
            "current_date + 1::bigint",
            "operator does not exist: date + bigint",
        ),
        (
            "score % 1.5::real",
            "operator does not exist: integer % real",
        ),
        (
            "tags @> ARRAY[1]",
            "operator does not exist: text[] @> integer[]",
        ),
        ("$1 + $2", "operator is not unique: unknown + unknown"),
        (
            "'{}'::json #- '{a}'",
            "operator does not exist: json #- unknown",
        ),
        ("id ~~ 'a%'", "operator does not exist: uuid ~~ unknown"),
    ] {
        assert_eq!(
            err(&format!("SELECT {expr} AS x FROM users")),
            message,
            "{expr}"
        );
    }
}

#[test]
fn extension_functions_and_operators_need_their_extension() {
    // The test schema creates no extension.
    assert_eq!(
        err("SELECT uuid_generate_v4() AS id"),
        "function `uuid_generate_v4` comes from extension `uuid-ossp`, which this service does not create"
    );
    assert_eq!(
        err("SELECT email % 'x' AS close FROM users"),
        "operator does not exist: text % unknown"
    );
    // Once a migration creates it, they resolve like built-ins.
    let file = SourceFile::inline("CREATE EXTENSION \"uuid-ossp\"; CREATE EXTENSION pg_trgm");
    let mut cat = catalog();
    let d = apply_section(
        &mut cat,
        &postgres_only(),
        &Section {
            file: file.clone(),
            range: 0..file.text.len(),
        },
    );
    assert!(d.is_empty(), "{d:?}");
    let a = analyze_sql(
        &cat,
        "SELECT uuid_generate_v4() AS id, email % $1 AS close FROM users",
    );
    assert_eq!(cols(&a), ["id uuid", "close boolean?"]);
    assert_eq!(params(&a), ["text"]);
}

/// Depths PostgreSQL runs are analysed without overflowing the stack: long left-associative
/// chains (as deep as they are long), 1,000 nested parentheses, 100 nested subqueries; past
/// the nesting limit the error says so.
#[test]
fn deep_statements_neither_overflow_nor_mislead() {
    let chain = |op: &str, term: &str, n: usize| vec![term; n].join(op);
    ok(&format!("SELECT {} AS x", chain(" || ", "'a'", 5000)));
    ok(&format!("SELECT {} AS x", chain(" + ", "1", 5000)));
    ok(&format!(
        "SELECT 1 AS x WHERE {}",
        chain(" AND ", "true", 5000)
    ));
    ok(&format!(
        "SELECT {}1{} AS x",
        "(".repeat(1000),
        ")".repeat(1000)
    ));
    // Just short enough to run on the caller's stack (a 2 MB test thread here).
    ok(&format!(
        "SELECT {}1{} AS x",
        "(".repeat(250),
        ")".repeat(250)
    ));
    ok(&format!("SELECT {} AS x", chain("+", "1", 250)));
    ok(&format!(
        "SELECT {}1{} AS x",
        "(SELECT ".repeat(100),
        ")".repeat(100)
    ));
    let too_deep = format!("SELECT {}1{} AS x", "(".repeat(6000), ")".repeat(6000));
    assert!(err(&too_deep).starts_with("statement nested too deeply"));
    // Refused from the tokens: past the limit, sqlparser backtracks through CASE and ARRAY
    // level by level, and a run of NOTs ended in an unrelated message.
    for deep in [
        format!(
            "SELECT {}1{}",
            "CASE WHEN true THEN ".repeat(5000),
            " END".repeat(5000)
        ),
        format!("SELECT {}1{}", "ARRAY[".repeat(5000), "]".repeat(5000)),
        format!("SELECT {}true", "NOT ".repeat(5000)),
        format!(
            "SELECT {}1{}",
            "(SELECT CASE WHEN true THEN ".repeat(1700),
            " END)".repeat(1700)
        ),
    ] {
        assert!(
            err(&deep).starts_with("statement nested too deeply"),
            "{}",
            err(&deep)
        );
    }
    // Just inside the limit, each still parses.
    let case = format!(
        "SELECT {}1{}",
        "CASE WHEN true THEN ".repeat(4000),
        " END".repeat(4000)
    );
    ok(&format!("{case} AS x"));
}

/// Parameter numbers beyond the protocol's 65,535 are an error, found before anything is
/// sized by them.
#[test]
fn parameter_numbers_are_bounded() {
    assert_eq!(
        err("SELECT $4294967295::int AS x"),
        "there is no parameter $4294967295"
    );
    assert_eq!(
        err("SELECT $65536::int AS x"),
        "there is no parameter $65536"
    );
}

#[test]
fn functions_returning_record_take_a_column_definition_list() {
    let a = ok("SELECT x.id, x.name FROM jsonb_to_recordset($1) AS x(id uuid, name text)");
    assert_eq!(params(&a), ["jsonb"]);
    assert_eq!(cols(&a), ["id uuid?", "name text?"]);
    let a = ok("SELECT * FROM pairs() AS p(n int, label text)");
    assert_eq!(cols(&a), ["n integer?", "label text?"]);
    assert!(
        err("SELECT * FROM jsonb_to_record('{}')").contains("column definition list is required")
    );
    assert!(err("SELECT * FROM pairs()").contains("column definition list is required"));
    assert!(err("SELECT * FROM generate_series(1, 2) AS g(n int)").contains("only allowed"));
    assert!(err("SELECT * FROM jsonb_to_record('{}') AS x(a int, b)").contains("has no type"));
    assert!(
        err("SELECT * FROM jsonb_to_record('{}') AS x(a int, a text)").contains("more than once")
    );
    assert!(
        err("SELECT * FROM jsonb_to_recordset('[]') WITH ORDINALITY AS x(a int)")
            .contains("WITH ORDINALITY")
    );
}

/// The one-statement fast path takes only text whose statement range it can tell without
/// the tokenizer, and gives the range splitting gives.
#[test]
fn plain_single_statement_is_the_trimmed_text() {
    use super::plain_single_statement as plain;
    assert_eq!(plain("SELECT 1"), Some(0..8));
    assert_eq!(plain("\n  SELECT $1::text\r\n\t"), Some(3..18));
    for not_plain in [
        "SELECT 1;",
        "SELECT 1 -- trailing",
        "/* leading */ SELECT 1",
        "SELECT ';'",
        "SELECT\u{a0}1",
        "SELECT 1\u{b}",
        "",
        " \n\t",
    ] {
        assert_eq!(plain(not_plain), None, "{not_plain:?}");
    }
    // What it takes, the full split agrees with.
    for sql in [
        "SELECT 1",
        "\n  SELECT $1::text\r\n\t",
        " SELECT 'a' || $1 ",
    ] {
        let file = SourceFile::inline(sql);
        let split = crate::statements::split_statements(&file, 0..sql.len()).unwrap();
        assert_eq!(split.len(), 1);
        assert_eq!(Some(split[0].range.clone()), plain(sql), "{sql:?}");
    }
}
