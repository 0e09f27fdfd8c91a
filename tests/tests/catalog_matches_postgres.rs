//! The standard for the catalog: PostgreSQL itself. The fixture migrations are applied to a
//! real server and its catalogs (`pg_attribute`, `pg_constraint`, `pg_index`, `pg_enum`) must
//! equal what the checker built from the files alone — after every UP section, and again
//! after each DOWN section, undone one migration at a time.

use std::path::Path;

use checked_query_checker::catalog::{apply_section, Catalog, ConstraintKind, IndexKey};
use checked_query_checker::migrations::{load_migrations, Section};
use checked_query_checker::statements::split_statements;
use checked_query_checker::{build_service_with, render};
use checked_query_tests::{block_on, TestDb};
use sqlx::{Connection, PgConnection, Row};

const FIXTURE: &str = "fixtures/services/accounts/migrations";

fn fixture_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE)
}

/// The catalog as comparable lines. Column lines carry their position; everything else is
/// sorted, since creation order is not part of PostgreSQL's answer.
fn describe_ours(cat: &Catalog) -> Vec<String> {
    let mut lines = Vec::new();
    for t in &cat.tables {
        lines.push(format!("table {}", t.name));
        for (i, c) in t.columns.iter().enumerate() {
            lines.push(format!(
                "column {}.{:02} {} {} notnull={} default={}",
                t.name,
                i + 1,
                c.name,
                c.ty.with_modifiers(),
                c.not_null,
                c.has_default()
            ));
        }
        for c in &t.constraints {
            lines.push(match &c.kind {
                ConstraintKind::PrimaryKey { columns } => {
                    format!("constraint {}.{} p ({})", t.name, c.name, columns.join(","))
                }
                ConstraintKind::Unique { columns } => {
                    format!("constraint {}.{} u ({})", t.name, c.name, columns.join(","))
                }
                ConstraintKind::ForeignKey {
                    columns,
                    ref_table,
                    ref_columns,
                    ..
                } => format!(
                    "constraint {}.{} f ({}) -> {} ({})",
                    t.name,
                    c.name,
                    columns.join(","),
                    ref_table,
                    ref_columns.join(",")
                ),
                ConstraintKind::Check { .. } => format!("constraint {}.{} c", t.name, c.name),
            });
        }
    }
    for i in &cat.indexes {
        let keys: Vec<&str> = i
            .keys
            .iter()
            .map(|k| match k {
                IndexKey::Column(c) => c.as_str(),
                IndexKey::Expression { .. } => "<expr>",
            })
            .collect();
        lines.push(format!(
            "index {}.{} unique={} keys=({}) include=({}) partial={}",
            i.table,
            i.name,
            i.unique,
            keys.join(","),
            i.include.join(","),
            i.predicate.is_some()
        ));
    }
    for e in &cat.enums {
        lines.push(format!("enum {} [{}]", e.name, e.labels.join(",")));
    }
    for v in &cat.views {
        lines.push(format!("view {}", v.name));
    }
    for s in &cat.sequences {
        lines.push(format!("sequence {}", s.name));
    }
    lines.sort();
    lines
}

async fn describe_postgres(conn: &mut PgConnection) -> Vec<String> {
    let mut lines = Vec::new();
    let rel = |kinds: &str| {
        format!(
            "SELECT c.oid::int8 AS oid, c.relname::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = 'public' AND c.relkind IN ({kinds}) ORDER BY c.relname"
        )
    };
    let tables = sqlx::query(&rel("'r','p'"))
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    for t in &tables {
        let oid: i64 = t.get("oid");
        let name: String = t.get("name");
        lines.push(format!("table {name}"));
        let cols = sqlx::query(
            "SELECT a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS ty, a.attnotnull AS notnull, \
                    (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '') AS has_default \
             FROM pg_attribute a WHERE a.attrelid = $1::int8::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
        )
        .bind(oid)
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        for (i, c) in cols.iter().enumerate() {
            lines.push(format!(
                "column {name}.{:02} {} {} notnull={} default={}",
                i + 1,
                c.get::<String, _>("name"),
                c.get::<String, _>("ty"),
                c.get::<bool, _>("notnull"),
                c.get::<bool, _>("has_default")
            ));
        }
        let cons = sqlx::query(
            "SELECT con.conname::text AS name, con.contype::text AS kind, \
                    ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o) \
                          JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o) AS cols, \
                    con.confrelid::regclass::text AS ref_table, \
                    ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o) \
                          JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o) AS ref_cols \
             FROM pg_constraint con WHERE con.conrelid = $1::int8::oid",
        )
        .bind(oid)
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        for c in &cons {
            let cname: String = c.get("name");
            let kind: String = c.get("kind");
            let cols: Vec<String> = c.get("cols");
            lines.push(match kind.as_str() {
                "f" => format!(
                    "constraint {name}.{cname} f ({}) -> {} ({})",
                    cols.join(","),
                    c.get::<String, _>("ref_table"),
                    c.get::<Vec<String>, _>("ref_cols").join(",")
                ),
                "c" => format!("constraint {name}.{cname} c"),
                k => format!("constraint {name}.{cname} {k} ({})", cols.join(",")),
            });
        }
        let idx = sqlx::query(
            "SELECT i.relname::text AS name, ix.indisunique AS uniq, ix.indpred IS NOT NULL AS partial, ix.indnkeyatts::int4 AS nkeys, \
                    ARRAY(SELECT COALESCE(a.attname::text, '<expr>') FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(n, o) \
                          LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.n ORDER BY k.o) AS cols \
             FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid WHERE ix.indrelid = $1::int8::oid",
        )
        .bind(oid)
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        for i in &idx {
            let cols: Vec<String> = i.get("cols");
            let nkeys = i.get::<i32, _>("nkeys") as usize;
            lines.push(format!(
                "index {name}.{} unique={} keys=({}) include=({}) partial={}",
                i.get::<String, _>("name"),
                i.get::<bool, _>("uniq"),
                cols[..nkeys].join(","),
                cols[nkeys..].join(","),
                i.get::<bool, _>("partial")
            ));
        }
    }
    let enums = sqlx::query(
        "SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels \
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    for e in &enums {
        lines.push(format!(
            "enum {} [{}]",
            e.get::<String, _>("name"),
            e.get::<Vec<String>, _>("labels").join(",")
        ));
    }
    for v in sqlx::query(&rel("'v'"))
        .fetch_all(&mut *conn)
        .await
        .unwrap()
    {
        lines.push(format!("view {}", v.get::<String, _>("name")));
    }
    for s in sqlx::query(&rel("'S'"))
        .fetch_all(&mut *conn)
        .await
        .unwrap()
    {
        lines.push(format!("sequence {}", s.get::<String, _>("name")));
    }
    lines.sort();
    lines
}

/// Runs a section statement by statement (each in its own implicit transaction, so
/// `CREATE INDEX CONCURRENTLY` may run).
async fn run_on_postgres(conn: &mut PgConnection, section: &Section, migration: &str) {
    for stmt in split_statements(&section.file, section.range.clone()).unwrap() {
        sqlx::raw_sql(stmt.text())
            .execute(&mut *conn)
            .await
            .unwrap_or_else(|e| {
                panic!("PostgreSQL rejected `{}` of {migration}: {e}", stmt.text())
            });
    }
}

fn assert_same(step: &str, ours: &[String], theirs: &[String]) {
    if ours != theirs {
        let missing: Vec<_> = theirs.iter().filter(|l| !ours.contains(l)).collect();
        let extra: Vec<_> = ours.iter().filter(|l| !theirs.contains(l)).collect();
        panic!("{step}: the catalog differs from PostgreSQL's\nonly in PostgreSQL:\n  {}\nonly in the catalog:\n  {}",
            missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  "),
            extra.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  "));
    }
}

#[test]
fn catalog_equals_postgres_after_every_up_and_down() {
    let service = build_service_with(
        load_migrations(&fixture_dir(), "accounts"),
        &postgres_only(),
        &Default::default(),
    );
    let rendered: String = service
        .diagnostics
        .iter()
        .map(|d| render::human::render(d, false) + "\n")
        .collect();
    assert!(
        service.diagnostics.is_empty(),
        "the fixture migrations must build cleanly:\n{rendered}"
    );
    assert!(service.migrations.migrations.len() >= 10);

    let db = TestDb::start();
    block_on(async {
        let mut conn = PgConnection::connect(db.url()).await.expect("connect");
        let mut ours = Catalog::new("accounts");
        ours.settings = postgres_only();
        for m in &service.migrations.migrations {
            let up = m.up.as_ref().expect("every fixture has an UP part");
            run_on_postgres(&mut conn, up, &m.name).await;
            let diags = apply_section(&mut ours, up);
            assert!(diags.is_empty(), "{}: {diags:?}", m.name);
            assert_same(
                &format!("after UP {}", m.name),
                &describe_ours(&ours),
                &describe_postgres(&mut conn).await,
            );
        }
        assert_eq!(ours, service.catalog);
        for m in service.migrations.migrations.iter().rev() {
            let down = m.down.as_ref().expect("every fixture has a DOWN part");
            run_on_postgres(&mut conn, down, &m.name).await;
            let diags = apply_section(&mut ours, down);
            assert!(diags.is_empty(), "{}: {diags:?}", m.name);
            assert_same(
                &format!("after DOWN {}", m.name),
                &describe_ours(&ours),
                &describe_postgres(&mut conn).await,
            );
        }
    });
}

/// PostgreSQL is the judge here: CockroachDB's rules are not in play.
fn postgres_only() -> checked_query_checker::policies::Settings {
    checked_query_checker::policies::Settings {
        postgres_only: true,
        allow: Vec::new(),
        severities: Default::default(),
    }
}
