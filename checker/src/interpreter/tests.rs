//! Unit tests per DDL form, on inline SQL. The integration test in `tests/` holds the
//! catalog to PostgreSQL's own answer; these pin behaviour PostgreSQL decides without data.

use super::build::apply_section;
use crate::catalog::{Catalog, ConstraintKind, IndexKey};
use crate::migrations::Section;
use crate::policies::cockroach::CrdbRule;
use crate::policies::Env;
use crate::rules::Rule;
use crate::source::SourceFile;

fn build(sql: &str) -> (Catalog, Vec<crate::Diagnostic>) {
    // These pin PostgreSQL's behaviour; CockroachDB's rules have tests of their own.
    let mut env = Env::default();
    env.settings.postgres_only = true;
    build_in(sql, &env)
}

/// `sql` applied to an empty catalog under `env`.
fn build_in(sql: &str, env: &Env) -> (Catalog, Vec<crate::Diagnostic>) {
    let mut cat = Catalog::new("svc");
    let diags = apply_section(
        &mut cat,
        env,
        &Section {
            file: SourceFile::inline(sql),
            range: 0..sql.len(),
        },
    );
    (cat, diags)
}

fn check_ok(sql: &str) -> Catalog {
    let (cat, diags) = build(sql);
    assert!(
        diags.is_empty(),
        "unexpected diagnostics for {sql}: {:#?}",
        diags.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    cat
}

fn check_err(sql: &str, code: &str, message: &str) -> crate::Diagnostic {
    let (_, diags) = build(sql);
    let d = diags
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("expected an error for {sql}"));
    assert_eq!((d.code.as_str(), d.message.as_str()), (code, message));
    d
}

fn columns(cat: &Catalog, table: &str) -> Vec<String> {
    cat.table(table)
        .unwrap()
        .columns
        .iter()
        .map(|c| {
            format!(
                "{} {}{}",
                c.name,
                c.ty,
                if c.not_null { " not null" } else { "" }
            )
        })
        .collect()
}

#[test]
fn serial_columns_own_sequences_named_like_postgres() {
    let cat =
        check_ok("CREATE SEQUENCE t_id_seq; CREATE TABLE t (id SERIAL PRIMARY KEY, n BIGSERIAL)");
    assert_eq!(
        columns(&cat, "t"),
        ["id integer not null", "n bigint not null"]
    );
    let t = cat.table("t").unwrap();
    // `t_id_seq` is taken, so PostgreSQL picks `t_id_seq1`.
    assert_eq!(
        t.columns[0].default.as_deref(),
        Some("nextval('t_id_seq1'::regclass)")
    );
    assert!(cat.sequence("t_n_seq").is_some());
}

#[test]
fn primary_key_implies_not_null_and_names_its_index() {
    let cat = check_ok("CREATE TABLE t (a INT, b INT); ALTER TABLE t ADD PRIMARY KEY (a, b)");
    assert_eq!(
        columns(&cat, "t"),
        ["a integer not null", "b integer not null"]
    );
    assert_eq!(
        cat.index("t_pkey").unwrap().constraint.as_deref(),
        Some("t_pkey")
    );
}

#[test]
fn partitioned_keys_must_include_the_partition_key() {
    check_err(
        "CREATE TABLE m (id INT PRIMARY KEY, d DATE) PARTITION BY RANGE (d)",
        "CQ0303",
        "PRIMARY KEY on partitioned table `m` must include the partition key column `d`",
    );
    let cat = check_ok("CREATE TABLE m (id INT, d DATE, PRIMARY KEY (id, d)) PARTITION BY RANGE (d); CREATE TABLE m1 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
    assert_eq!(cat.table("m1").unwrap().partition_of.as_deref(), Some("m"));
    assert!(cat.index("m1_pkey").is_some());
}

#[test]
fn views_read_existing_relations_and_ctes_are_not_tables() {
    check_ok(
        "CREATE TABLE t (a INT); CREATE VIEW v AS WITH x AS (SELECT a FROM t) SELECT a FROM x",
    );
    check_err(
        "CREATE VIEW v AS SELECT 1 FROM nowhere",
        "CQ0201",
        "unknown table `nowhere`",
    );
}

#[test]
fn drop_table_cascade_removes_dependents_only() {
    let cat = check_ok(
        "CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE c (id INT, p_id INT REFERENCES p (id)); \
         CREATE VIEW pv AS SELECT id FROM p; CREATE VIEW pvv AS SELECT id FROM pv; DROP TABLE p CASCADE",
    );
    assert!(cat.table("c").unwrap().constraints.is_empty());
    assert!(cat.views.is_empty());
    check_err(
        "CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE c (p_id INT REFERENCES p (id)); DROP TABLE p",
        "CQ0207",
        "cannot drop table `p` because other objects depend on it: constraint `c_p_id_fkey` on table `c`",
    );
    // Dropping both in one statement needs no CASCADE.
    check_ok("CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE c (p_id INT REFERENCES p (id)); DROP TABLE p, c");
}

#[test]
fn dropping_a_column_drops_what_involves_it() {
    let cat = check_ok(
        "CREATE TABLE t (a INT, b INT, UNIQUE (a, b), CHECK (b > 0)); CREATE INDEX ON t (lower(b::text)); \
         CREATE INDEX ON t (a) WHERE b IS NULL; ALTER TABLE t DROP COLUMN b",
    );
    let t = cat.table("t").unwrap();
    assert!(t.constraints.is_empty());
    assert!(cat.indexes.is_empty());
}

#[test]
fn renames_follow_through_keys_and_references() {
    let cat = check_ok(
        "CREATE TYPE k AS ENUM ('a'); CREATE TABLE p (id INT PRIMARY KEY, kind k); CREATE TABLE c (p_id INT REFERENCES p (id)); \
         ALTER TABLE p RENAME COLUMN id TO pid; ALTER TABLE p RENAME TO parents; ALTER TYPE k RENAME TO kinds",
    );
    let c = cat.table("c").unwrap();
    assert!(
        matches!(&c.constraints[0].kind, ConstraintKind::ForeignKey { ref_table, ref_columns, .. } if ref_table == "parents" && ref_columns == &["pid"])
    );
    assert_eq!(
        cat.table("parents").unwrap().primary_key(),
        Some(&["pid".to_string()][..])
    );
    assert_eq!(
        cat.table("parents").unwrap().columns[1].ty.to_string(),
        "kinds"
    );
    assert_eq!(
        cat.index("p_pkey").unwrap().keys,
        [IndexKey::Column("pid".into())]
    );
}

#[test]
fn identity_can_be_added_to_a_not_null_integer() {
    let cat = check_ok("CREATE TABLE t (id BIGINT NOT NULL); ALTER TABLE t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY");
    assert!(cat.table("t").unwrap().columns[0].has_default());
    assert!(cat.sequence("t_id_seq").is_some());
    check_err(
        "CREATE TABLE t (id BIGINT); ALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY",
        "CQ0303",
        "column `id` of table `t` must be declared NOT NULL before identity can be added",
    );
}

#[test]
fn statements_sqlparser_cannot_parse_still_apply() {
    let cat = check_ok(
        "CREATE SEQUENCE s; ALTER SEQUENCE s RENAME TO s2; CREATE TABLE t (n BIGINT DEFAULT nextval('s2')); \
         CREATE INDEX idx_t_n ON t (n); DROP INDEX CONCURRENTLY IF EXISTS idx_t_n",
    );
    assert!(cat.sequence("s2").is_some());
    assert!(cat.index("idx_t_n").is_none());
}

#[test]
fn a_failed_statement_leaves_no_partial_effect() {
    let (cat, diags) =
        build("CREATE TABLE t (a INT); ALTER TABLE t ADD COLUMN b INT, ADD COLUMN a INT");
    assert_eq!(diags.len(), 1);
    assert_eq!(columns(&cat, "t"), ["a integer"]);
}

#[test]
fn if_exists_and_if_not_exists_are_no_ops() {
    check_ok(
        "CREATE TABLE IF NOT EXISTS t (a INT); CREATE TABLE IF NOT EXISTS t (b INT); DROP TABLE IF EXISTS nope; \
         ALTER TABLE IF EXISTS nope ADD COLUMN x INT; CREATE INDEX IF NOT EXISTS i ON t (a); CREATE INDEX IF NOT EXISTS i ON t (a); \
         DROP INDEX IF EXISTS nope; DROP TYPE IF EXISTS nope; DROP VIEW IF EXISTS nope; CREATE EXTENSION IF NOT EXISTS pgcrypto; \
         CREATE EXTENSION IF NOT EXISTS pgcrypto",
    );
}

#[test]
fn enum_labels_keep_their_order() {
    let cat = check_ok(
        "CREATE TYPE s AS ENUM ('b', 'd'); ALTER TYPE s ADD VALUE 'a' BEFORE 'b'; ALTER TYPE s ADD VALUE 'c' AFTER 'b'; ALTER TYPE s ADD VALUE 'e'",
    );
    assert_eq!(
        cat.enum_type("s").unwrap().labels,
        ["a", "b", "c", "d", "e"]
    );
}

#[test]
fn objects_named_in_comments_and_grants_must_exist() {
    check_err(
        "COMMENT ON TABLE nope IS 'x'",
        "CQ0201",
        "unknown relation `nope`",
    );
    check_err(
        "CREATE TABLE t (a INT); COMMENT ON COLUMN t.b IS 'x'",
        "CQ0202",
        "unknown column `b` in table `t`",
    );
    check_err(
        "GRANT SELECT ON nope TO PUBLIC",
        "CQ0201",
        "unknown relation `nope`",
    );
}

#[test]
fn error_positions_point_at_the_name() {
    let d = check_err(
        "CREATE TABLE t (a INT);\nALTER TABLE t RENAME COLUMN b TO c",
        "CQ0202",
        "unknown column `b` in table `t`",
    );
    assert_eq!((d.line, d.column, d.end - d.start), (2, 29, 1));
}

#[test]
fn concurrently_inside_an_explicit_transaction_is_refused() {
    check_err(
        "CREATE TABLE t (a INT);\nBEGIN;\nCREATE INDEX CONCURRENTLY i ON t (a);\nCOMMIT",
        "CQ0303",
        "CREATE INDEX CONCURRENTLY cannot run inside a transaction block",
    );
    check_ok("CREATE TABLE t (a INT);\nBEGIN;\nCREATE INDEX i ON t (a);\nCOMMIT;\nCREATE INDEX CONCURRENTLY j ON t (a)");
    // Any case, UNIQUE, DROP, and START TRANSACTION … END.
    check_err(
        "CREATE TABLE t (a INT);\nstart  transaction;\ncreate unique\tindex concurrently i ON t (a);\nend",
        "CQ0303",
        "CREATE UNIQUE INDEX CONCURRENTLY cannot run inside a transaction block",
    );
    check_err(
        "CREATE TABLE t (a INT);\nCREATE INDEX i ON t (a);\nBegin;\nDrop Index Concurrently i;\nCOMMIT",
        "CQ0303",
        "DROP INDEX CONCURRENTLY cannot run inside a transaction block",
    );
}

#[test]
fn cockroach_rules_in_migrations_and_their_near_misses() {
    let sql = "CREATE TABLE a (id SERIAL PRIMARY KEY, n INTEGER, m INT4, oid TEXT DEFAULT 'pg_notify', xmin BIGINT)";
    let (_, diags) = build_in(sql, &Env::default());
    let rules: Vec<&str> = diags
        .iter()
        .map(|d| d.message.rsplit('(').next().unwrap().trim_end_matches(')'))
        .collect();
    assert_eq!(rules, ["serial", "int-width"], "{diags:?}");
    // Allowed rules are not reported.
    let mut env = Env::default();
    env.settings.allow = vec![Rule::Crdb(CrdbRule::Serial), Rule::Crdb(CrdbRule::IntWidth)];
    assert!(build_in(sql, &env).1.is_empty());
}

#[test]
fn cockroach_errors_still_apply_the_postgres_statement() {
    // One error per incompatible statement, and what follows sees the schema PostgreSQL
    // has: no cascade of unknown names after a refused domain or inheriting table.
    let sql = "CREATE DOMAIN email AS TEXT;\n\
               CREATE TABLE parties (id BIGINT PRIMARY KEY, contact email);\n\
               CREATE TABLE people (given TEXT) INHERITS (parties);\n\
               LOCK TABLE people IN SHARE MODE;\n\
               CREATE INDEX people_given ON people (given, contact)";
    let (cat, diags) = build_in(sql, &Env::default());
    let rules: Vec<&str> = diags
        .iter()
        .map(|d| d.message.rsplit('(').next().unwrap().trim_end_matches(')'))
        .collect();
    assert_eq!(rules, ["domains", "inheritance", "lock-table"], "{diags:?}");
    assert!(diags.iter().all(|d| d.is_error()));
    assert_eq!(
        columns(&cat, "people"),
        ["id bigint not null", "contact email", "given text"]
    );
}

#[test]
fn inheritance_merges_columns_as_postgres_does() {
    let cat = check_ok(
        "CREATE TABLE a (id BIGINT NOT NULL, label TEXT DEFAULT 'a');\n\
         CREATE TABLE b (label TEXT, extra INT);\n\
         CREATE TABLE c (extra INT NOT NULL, own TEXT) INHERITS (a, b);\n\
         LOCK TABLE c",
    );
    assert_eq!(
        columns(&cat, "c"),
        [
            "id bigint not null",
            "label text",
            "extra integer not null",
            "own text"
        ]
    );
    assert_eq!(
        cat.table("c")
            .unwrap()
            .column("label")
            .unwrap()
            .default
            .as_deref(),
        Some("'a'")
    );
    check_err(
        "CREATE TABLE a (label TEXT);\nCREATE TABLE c (label INT) INHERITS (a)",
        "CQ0304",
        "column `label` has a type conflict: text versus integer",
    );
    check_err(
        "CREATE TABLE c (x INT) INHERITS (nope)",
        "CQ0201",
        "unknown table `nope`",
    );
    check_err("LOCK TABLE nope", "CQ0201", "unknown relation `nope`");
}

#[test]
fn like_copies_columns_where_it_stands() {
    let cat = check_ok(
        "CREATE TABLE src (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, label TEXT NOT NULL DEFAULT 'x');\n\
         CREATE TABLE a (first INT, LIKE src, last INT);\n\
         CREATE TABLE b (LIKE src INCLUDING ALL EXCLUDING IDENTITY)",
    );
    assert_eq!(
        columns(&cat, "a"),
        [
            "first integer",
            "id bigint not null",
            "label text not null",
            "last integer"
        ]
    );
    let a = cat.table("a").unwrap();
    assert!(a.constraints.is_empty() && !a.column("label").unwrap().has_default());
    let b = cat.table("b").unwrap();
    assert_eq!(b.column("label").unwrap().default.as_deref(), Some("'x'"));
    assert!(b.column("id").unwrap().identity.is_none());
    assert_eq!(b.primary_key(), Some(&["id".to_string()][..]));
    check_err(
        "CREATE TABLE a (x INT, LIKE nope)",
        "CQ0201",
        "unknown table `nope`",
    );
    check_err(
        "CREATE TABLE s (x INT);\nCREATE TABLE a (x INT, LIKE s)",
        "CQ0204",
        "column `x` specified more than once",
    );
    check_err(
        "CREATE TABLE s (x INT);\nALTER TABLE s SET SCHEMA nowhere",
        "CQ0201",
        "schema `nowhere` does not exist",
    );
}

#[test]
fn default_null_stores_no_default() {
    // PostgreSQL keeps no pg_attrdef row for a NULL constant: `atthasdef` is false.
    let cat = check_ok(
        "CREATE TABLE t (a INT DEFAULT NULL, b TEXT NOT NULL DEFAULT NULL::text, c INT DEFAULT 1, d INT DEFAULT (NULL));\nALTER TABLE t ALTER COLUMN c SET DEFAULT NULL",
    );
    let t = cat.table("t").unwrap();
    for c in ["a", "b", "c", "d"] {
        assert_eq!(t.column(c).unwrap().default, None, "{c}");
    }
    // So a NOT NULL column with DEFAULT NULL still needs a value on INSERT.
    assert!(!t.column("b").unwrap().has_default());
}

#[test]
fn routine_attributes_sqlparser_lacks_are_set_aside() {
    // `COST`, `ROWS`, `PARALLEL`, `LEAKPROOF` change no schema; the rest is still parsed.
    let cat = check_ok(
        "CREATE TABLE t (a INT);\n\
         CREATE OR REPLACE FUNCTION bump() RETURNS trigger AS $f$ BEGIN RETURN NEW; END $f$\n\
         LANGUAGE plpgsql VOLATILE COST 100;\n\
         CREATE FUNCTION rows_of(n INT) RETURNS SETOF INT AS $$ SELECT generate_series(1, n) $$ LANGUAGE sql ROWS 10 PARALLEL SAFE;\n\
         CREATE TRIGGER t_bump AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION bump()",
    );
    assert_eq!(
        cat.routines_named("bump").next().unwrap().returns,
        crate::catalog::Returns::Trigger
    );
    let rows_of = cat.routines_named("rows_of").next().unwrap();
    assert_eq!(rows_of.signature(), "rows_of(integer)");
    assert!(matches!(
        rows_of.returns,
        crate::catalog::Returns::Value { set: true, .. }
    ));
    // A routine that is broken elsewhere is still a syntax error.
    let (_, diags) =
        build("CREATE FUNCTION broken( RETURNS INT AS $$ SELECT 1 $$ LANGUAGE sql COST 10");
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0].code, crate::Code::SyntaxError);
}

#[test]
fn procedures_parse_as_routines_with_their_signatures() {
    let cat = check_ok(
        "CREATE TABLE t (a INT);\n\
         CREATE PROCEDURE add_a(x INT, INOUT total INT DEFAULT NULL) LANGUAGE sql AS $$ INSERT INTO t VALUES (x) $$;\n\
         CREATE OR REPLACE PROCEDURE add_a(x INT, INOUT total INT DEFAULT NULL) LANGUAGE sql COST 5 AS $$ INSERT INTO t VALUES (x) $$;\n\
         CALL add_a(1)",
    );
    let p: Vec<_> = cat.routines_named("add_a").collect();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].kind, crate::catalog::RoutineKind::Procedure);
    assert_eq!(p[0].signature(), "add_a(integer, integer)");
}

#[test]
fn tables_hold_at_most_1600_columns_dropped_ones_included() {
    let cols = |n: usize| {
        (1..=n)
            .map(|i| format!("c{i} int"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    check_ok(&format!("CREATE TABLE wide ({});", cols(1600)));
    check_err(
        &format!("CREATE TABLE wide ({});", cols(1601)),
        "CQ0303",
        "tables can have at most 1600 columns",
    );
    // A dropped column keeps its attnum: the next ADD COLUMN is the 1601st.
    check_err(
        &format!(
            "CREATE TABLE wide ({}); ALTER TABLE wide DROP COLUMN c1; ALTER TABLE wide ADD COLUMN again int;",
            cols(1600)
        ),
        "CQ0303",
        "tables can have at most 1600 columns",
    );
}

#[test]
fn tables_made_from_a_query_take_its_columns_and_their_modifiers() {
    let cat = check_ok(
        "CREATE TABLE p (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL, price NUMERIC(8,2));\n\
         CREATE TABLE copy AS SELECT id, name, price * 2 AS doubled, name::varchar(5) AS short FROM p;\n\
         CREATE TABLE renamed (a, b) AS SELECT x.id, x.name, 1 AS c FROM p x WITH NO DATA;\n\
         CREATE TABLE everything AS SELECT * FROM p;",
    );
    assert_eq!(
        typed_columns(&cat, "copy"),
        [
            "id bigint",
            "name character varying(20)",
            "doubled numeric",
            "short character varying(5)"
        ]
    );
    assert_eq!(
        typed_columns(&cat, "renamed"),
        ["a bigint", "b character varying(20)", "c integer"]
    );
    assert_eq!(
        typed_columns(&cat, "everything"),
        [
            "id bigint",
            "name character varying(20)",
            "price numeric(8,2)"
        ]
    );
    assert!(cat.table("copy").unwrap().constraints.is_empty());
}

/// `name type(modifiers)`, as `format_type(atttypid, atttypmod)` names them.
fn typed_columns(cat: &Catalog, table: &str) -> Vec<String> {
    let t = cat.table(table).unwrap();
    t.columns
        .iter()
        .map(|c| format!("{} {}", c.name, c.ty.with_modifiers()))
        .collect()
}

#[test]
fn tables_made_from_a_query_report_what_postgres_and_the_checker_cannot_do() {
    let p = "CREATE TABLE p (id BIGINT, name VARCHAR(20));\n";
    check_err(
        &format!("{p}CREATE TABLE t (a, b, c) AS SELECT id, name FROM p;"),
        "CQ0001",
        "CREATE TABLE AS specifies too many column names",
    );
    check_err(
        &format!("{p}CREATE TABLE t AS SELECT id, id FROM p;"),
        "CQ0204",
        "column `id` specified more than once",
    );
    // COALESCE keeps a modifier common to its arguments: the checker asks for a cast
    // rather than guess.
    let d = check_err(
        &format!("{p}CREATE TABLE t AS SELECT coalesce(name, 'x') AS n FROM p;"),
        "CQ0002",
        "not supported yet: the type modifier (length, precision) of column `n` in CREATE TABLE … AS",
    );
    assert!(d.help.as_deref().unwrap().contains("::varchar(200)"));
    check_ok(&format!(
        "{p}CREATE TABLE t AS SELECT coalesce(name, 'x')::text AS n FROM p;"
    ));
}

#[test]
fn aggregates_are_checked_as_postgres_checks_them_at_creation() {
    let f = "CREATE FUNCTION bigger(a int, b int) RETURNS int LANGUAGE sql AS $$ SELECT greatest(a, b) $$;\n";
    let cat = check_ok(&format!(
        "{f}CREATE AGGREGATE biggest(int) (SFUNC = bigger, STYPE = int);\n\
         CREATE OR REPLACE AGGREGATE biggest(int) (SFUNC = bigger, STYPE = int, PARALLEL = SAFE);"
    ));
    let a: Vec<_> = cat.routines_named("biggest").collect();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].kind, crate::catalog::RoutineKind::Aggregate);
    assert_eq!(a[0].signature(), "biggest(integer)");
    check_err(
        "CREATE AGGREGATE biggest(int) (SFUNC = missing, STYPE = int);",
        "CQ0210",
        "function missing(integer, integer) does not exist",
    );
    check_err(
        &format!("{f}CREATE AGGREGATE biggest(bigint) (SFUNC = bigger, STYPE = bigint);"),
        "CQ0210",
        "function bigger(bigint, bigint) does not exist",
    );
    check_err(
        &format!("{f}CREATE AGGREGATE biggest(int) (SFUNC = bigger, STYPE = int);\nDROP FUNCTION bigger(int, int);"),
        "CQ0207",
        "cannot drop function `bigger(integer, integer)` because other objects depend on it: aggregate biggest(integer)",
    );
    check_ok(&format!(
        "{f}CREATE AGGREGATE biggest(int) (SFUNC = bigger, STYPE = int);\nDROP FUNCTION bigger(int, int) CASCADE;\nCREATE FUNCTION biggest(int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;"
    ));
    check_err(
        &format!("{f}DROP AGGREGATE bigger(int, int);"),
        "CQ0303",
        "bigger(integer, integer) is not an aggregate",
    );
}

#[test]
fn external_sql_builds_before_the_first_migration() {
    let dir = std::env::temp_dir().join(format!("cq-external-{}", std::process::id()));
    let migrations = dir.join("migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    std::fs::write(
        migrations.join("0001_queues.sql"),
        "-- +migrate Up\nSELECT durable.create_queue('mail');\nCREATE TABLE mail (id BIGINT PRIMARY KEY, queue TEXT NOT NULL REFERENCES durable.queues (name));\n-- +migrate Down\nDROP TABLE mail;\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("durable.sql"),
        "CREATE SCHEMA durable;\nCREATE TABLE durable.queues (name TEXT PRIMARY KEY);\nCREATE FUNCTION durable.create_queue(name TEXT) RETURNS void LANGUAGE sql AS $$ INSERT INTO durable.queues VALUES (name) $$;\n",
    )
    .unwrap();
    let mut settings = crate::policies::Settings {
        postgres_only: true,
        ..Default::default()
    };
    let load = || crate::migrations::load_migrations(&migrations, "svc");
    // Without the declaration, the migration's use of the other tool's schema is an error.
    let built = crate::build_service_with(load(), &settings, &Default::default());
    assert!(built
        .diagnostics
        .iter()
        .any(|d| d.message.contains("durable")));
    settings.external = vec![dir.join("durable.sql")];
    let built = crate::build_service_with(load(), &settings, &Default::default());
    assert!(built.diagnostics.is_empty(), "{:?}", built.diagnostics);
    assert!(built.catalog.table("mail").is_some());
    // A DO block the checker cannot interpret, in a committed migration: its effect is
    // declared in the configuration by file and line, not by editing the file.
    std::fs::write(
        migrations.join("0002_partitions.sql"),
        "-- +migrate Up\nDO $$\nBEGIN\n    EXECUTE format('CREATE TABLE %I (id BIGINT)', 'mail_' || to_char(now(), 'YYYY'));\nEND $$;\n-- +migrate Down\nSELECT 1;\n",
    )
    .unwrap();
    let built = crate::build_service_with(load(), &settings, &Default::default());
    assert!(built.diagnostics[0]
        .message
        .contains("EXECUTE of a computed string"));
    settings.effects = vec![(
        "0002_partitions.sql".to_string(),
        2,
        "CREATE TABLE mail_archive (id BIGINT);".to_string(),
    )];
    let built = crate::build_service_with(load(), &settings, &Default::default());
    assert!(built.diagnostics.is_empty(), "{:?}", built.diagnostics);
    assert!(built.catalog.table("mail_archive").is_some());
    settings.external = vec![dir.join("missing.sql")];
    let built = crate::build_service_with(load(), &settings, &Default::default());
    assert!(built.diagnostics[0]
        .message
        .starts_with("cannot read the external SQL file"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Each DOWN section is applied to the catalog its UP made and undone after: its result is
/// kept for the lints, and the build goes on from UP's catalog as if DOWN had not run, even
/// when DOWN drops more than its UP made, or fails midway.
#[test]
fn down_sections_leave_no_trace_on_the_build() {
    let history = [
        (
            "CREATE TABLE a (id INT PRIMARY KEY);\nCREATE INDEX a_idx ON a (id);",
            Some("DROP TABLE a;"),
        ),
        (
            "CREATE TABLE b (id INT PRIMARY KEY, a_id INT REFERENCES a (id));\n\
             ALTER TABLE a ADD COLUMN note TEXT;\nCREATE TYPE mood AS ENUM ('ok');",
            Some("ALTER TABLE a DROP COLUMN note;\nDROP TABLE b;\nDROP TYPE mood;\nDROP TABLE a;\nDROP TABLE nope;"),
        ),
        ("CREATE TABLE c (id INT, m mood);", None),
    ];
    let service = |with_down: bool| {
        let dir =
            std::env::temp_dir().join(format!("cq-down-trace-{with_down}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (k, (up, down)) in history.iter().enumerate() {
            let down = match down {
                Some(d) if with_down => format!("-- +migrate Down\n{d}\n"),
                _ => String::new(),
            };
            std::fs::write(
                dir.join(format!("{:03}_m.sql", k + 1)),
                format!("-- +migrate Up\n{up}\n{down}"),
            )
            .unwrap();
        }
        let built = crate::build_service(crate::migrations::load_migrations(&dir, "svc"));
        std::fs::remove_dir_all(&dir).unwrap();
        built
    };
    let (with, without) = (service(true), service(false));
    assert_eq!(with.catalog, without.catalog);
    assert!(with.catalog.indexes_are_consistent());
    for (k, outcome) in with.outcomes.iter().enumerate() {
        assert_eq!(
            outcome.after_up, without.outcomes[k].after_up,
            "migration {k}"
        );
    }
    // Each DOWN's own result: the failed `DROP TABLE nope` is reported, the rest applied.
    let down = |k: usize| with.outcomes[k].after_down.as_ref().expect("a DOWN part");
    assert!(down(0).table("a").is_none() && down(0).index("a_idx").is_none());
    assert!(down(1).table("a").is_none() && down(1).table("b").is_none());
    assert!(down(1).enum_type("mood").is_none());
    assert!(with.outcomes[2].after_down.is_none());
    assert!(
        (with.diagnostics.iter()).any(|d| d.is_error() && d.message.contains("nope")),
        "{:#?}",
        with.diagnostics
    );
}

/// A statement that fails after some of its effects leaves the catalog exactly as it was
/// (PostgreSQL's statement atomicity): the changes are made in place and undone.
#[test]
fn a_failed_statement_leaves_the_catalog_as_it_was() {
    let setup = "CREATE TYPE mood AS ENUM ('ok');\n\
                 CREATE TABLE t (id INT PRIMARY KEY, m mood);\n\
                 CREATE INDEX t_m ON t (m);\n\
                 CREATE TABLE u (id INT PRIMARY KEY, t_id INT REFERENCES t (id));\n\
                 CREATE TABLE filler_a (id INT);\nCREATE TABLE filler_b (id INT)";
    let before = check_ok(setup);
    for failing in [
        // Two columns added, then an unknown type.
        "ALTER TABLE t ADD COLUMN a INT, ADD COLUMN b INT, ADD COLUMN c no_such_type",
        // A rename, then a column that does not exist.
        "ALTER TABLE t RENAME COLUMN m TO mood_of, DROP COLUMN nope",
        // Tables dropped, then one that does not exist.
        "DROP TABLE filler_a, filler_b, no_such_table",
        // A CASCADE drop of what others depend on, then an unknown table.
        "DROP TABLE t, no_such_table CASCADE",
        // A DO block whose second statement fails.
        "DO $$ BEGIN CREATE TABLE made (id INT); DROP TABLE u; CREATE TABLE t (x INT); END $$",
    ] {
        let (after, diags) = build(&format!("{setup};\n{failing}"));
        assert!(
            diags.iter().any(|d| d.is_error()),
            "expected {failing} to fail"
        );
        assert_eq!(after, before, "after {failing}");
        assert!(after.indexes_are_consistent(), "after {failing}");
    }
    // A subtransaction that fails is undone, and the handler and the rest still apply.
    let cat = check_ok(
        "CREATE TABLE t (id INT);\n\
         DO $$ BEGIN\n\
           CREATE TABLE kept (id INT);\n\
           BEGIN\n\
             DROP TABLE t;\n\
             CREATE TABLE undone (id INT);\n\
             CREATE TABLE kept (id INT);\n\
           EXCEPTION WHEN duplicate_table THEN\n\
             CREATE TABLE handled (id INT);\n\
           END;\n\
         END $$",
    );
    for table in ["t", "kept", "handled"] {
        assert!(cat.table(table).is_some(), "{table} is there");
    }
    assert!(cat.table("undone").is_none());
    assert!(cat.indexes_are_consistent());
}
