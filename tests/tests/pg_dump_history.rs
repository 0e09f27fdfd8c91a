//! A history that starts from `pg_dump --schema-only`, as services squash their migrations
//! or adopt a database that predates them. The `accounts` fixture is applied to a real
//! PostgreSQL, dumped with the server's own `pg_dump`, and the dump alone, as one migration,
//! must build in the checker without errors and give the database's schema line for line.
//! The dump has what real ones have: `SET check_function_bodies = false` before functions
//! that read tables created later, owners of every object, identity columns added with
//! their sequences' names, `ALTER TABLE ONLY … ATTACH PARTITION`, `CREATE INDEX … ON ONLY`
//! and `ALTER INDEX … ATTACH PARTITION`, materialized views `WITH NO DATA`, qualified
//! collations and names everywhere.

use std::path::{Path, PathBuf};
use std::process::Command;

use checked_query::testing::{assert_same, database_schema, server_program};
use checked_query_checker::catalog::schema_lines;
use checked_query_checker::migrations::load_migrations;
use checked_query_checker::statements::split_statements;
use checked_query_checker::{build_service_with, render, Severity};
use checked_query_tests::{block_on, build_clean, postgres_only, TestDb};
use sqlx::{Connection, PgConnection};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/services/accounts/migrations")
}

#[test]
fn a_pg_dump_of_the_schema_builds_as_one_migration() {
    let service = build_clean(&fixture_dir(), "accounts");
    let db = TestDb::start();
    let dump = block_on(async {
        let mut conn = PgConnection::connect(db.url()).await.expect("connect");
        for m in &service.migrations.migrations {
            let up = m.up.as_ref().expect("every fixture has an UP part");
            for stmt in split_statements(&up.file, up.range.clone()).unwrap() {
                sqlx::raw_sql(sqlx::AssertSqlSafe(stmt.text()))
                    .execute(&mut conn)
                    .await
                    .unwrap_or_else(|e| panic!("{}: {e}", m.name));
            }
        }
        let out = Command::new(server_program("pg_dump"))
            .args(["--schema-only", "--dbname", db.url()])
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "this test runs PostgreSQL's pg_dump ({e}); install it with the server \
                     (Debian/Ubuntu: `apt-get install postgresql`)"
                )
            });
        assert!(
            out.status.success(),
            "pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("UTF-8 dump");
        let schema = database_schema(&mut conn).await.expect("read the schema");
        (text, schema)
    });
    let (text, database) = dump;
    // pg_dump 15.14 and later fence the dump with psql's `\restrict` / `\unrestrict`: psql
    // commands, not SQL, which a migrator would not run either.
    let sql: String = text
        .lines()
        .filter(|l| !l.starts_with('\\'))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(
        sql.contains("SET check_function_bodies = false") && sql.contains("OWNER TO"),
        "the dump has pg_dump's usual preamble and owners"
    );
    let root = std::env::temp_dir().join(format!("cq-pg-dump-{}", std::process::id()));
    let dir = root.join("services/dumped/migrations");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("001_schema.sql"), &sql).unwrap();

    let dumped = build_service_with(
        load_migrations(&dir, "dumped"),
        &postgres_only(),
        &Default::default(),
    );
    let errors: Vec<_> = dumped
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    assert!(
        errors.is_empty(),
        "the dump must build without errors:\n{}",
        render::human::render_all(&errors, false)
    );
    assert_same(
        "the dump as one migration",
        &schema_lines(&dumped.catalog),
        &database,
    );
    std::fs::remove_dir_all(&root).unwrap();
}
