//! The standard for the catalog: PostgreSQL itself. The fixture migrations are applied to a
//! real server and its catalogs (`pg_attribute`, `pg_constraint`, `pg_index`, `pg_enum`) must
//! equal what the checker built from the files alone — after every UP section, and again
//! after each DOWN section, undone one migration at a time.

use std::path::Path;

use checked_query::testing::{assert_same, database_schema};
use checked_query_checker::catalog::{schema_lines, Catalog};
use checked_query_checker::interpreter::apply_section;
use checked_query_checker::migrations::Section;
use checked_query_checker::policies::Env;
use checked_query_checker::statements::split_statements;
use checked_query_tests::{block_on, build_clean, postgres_only, TestDb};
use sqlx::{Connection, PgConnection};

const FIXTURE: &str = "fixtures/services/accounts/migrations";

fn fixture_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE)
}

/// Runs a section statement by statement (each in its own implicit transaction, so
/// `CREATE INDEX CONCURRENTLY` may run).
async fn run_on_postgres(conn: &mut PgConnection, section: &Section, migration: &str) {
    for stmt in split_statements(&section.file, section.range.clone()).unwrap() {
        sqlx::raw_sql(sqlx::AssertSqlSafe(stmt.text()))
            .execute(&mut *conn)
            .await
            .unwrap_or_else(|e| {
                panic!("PostgreSQL rejected `{}` of {migration}: {e}", stmt.text())
            });
    }
}

#[test]
fn catalog_equals_postgres_after_every_up_and_down() {
    let service = build_clean(&fixture_dir(), "accounts");
    assert!(service.migrations.migrations.len() >= 10);

    let db = TestDb::start();
    block_on(async {
        let mut conn = PgConnection::connect(db.url()).await.expect("connect");
        let mut ours = Catalog::new("accounts");
        let env = Env {
            settings: postgres_only(),
            ..Env::default()
        };
        for m in &service.migrations.migrations {
            let up = m.up.as_ref().expect("every fixture has an UP part");
            run_on_postgres(&mut conn, up, &m.name).await;
            let diags = apply_section(&mut ours, &env, up);
            assert!(diags.is_empty(), "{}: {diags:?}", m.name);
            assert_same(
                &format!("after UP {}", m.name),
                &schema_lines(&ours),
                &database_schema(&mut conn).await.expect("read the schema"),
            );
        }
        assert_eq!(ours, service.catalog);
        for m in service.migrations.migrations.iter().rev() {
            let down = m.down.as_ref().expect("every fixture has a DOWN part");
            run_on_postgres(&mut conn, down, &m.name).await;
            let diags = apply_section(&mut ours, &env, down);
            assert!(diags.is_empty(), "{}: {diags:?}", m.name);
            assert_same(
                &format!("after DOWN {}", m.name),
                &schema_lines(&ours),
                &database_schema(&mut conn).await.expect("read the schema"),
            );
        }
    });
}
