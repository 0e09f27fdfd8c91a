//! The database's schema as the checker's comparable lines (see
//! `checked_query_checker::catalog::schema_lines`), read from PostgreSQL's catalogs, and
//! the up/down/up check built on it.

use sqlx::{Connection, PgConnection, Row};

use crate::Migrator;

/// The schemas a service's objects live in: all but PostgreSQL's own.
const USER_SCHEMA: &str =
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'";

/// The database's schemas (`public`, and every schema of the service's own, whose objects
/// are named `schema.name`) as comparable lines: tables with their columns in
/// order (type as `format_type` prints it, NOT NULL, whether there is a default),
/// constraints, indexes, enums, composite types, domains, views, materialized views (with their
/// indexes), sequences and user casts. The migrator's own tables are left out.
pub async fn database_schema(conn: &mut PgConnection) -> Result<Vec<String>, sqlx::Error> {
    let mut lines = Vec::new();
    let rel = |kinds: &str| {
        format!(
            "SELECT c.oid::int8 AS oid, (CASE WHEN n.nspname = 'public' THEN '' ELSE n.nspname || '.' END || c.relname)::text AS name \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE {USER_SCHEMA} AND c.relkind IN ({kinds}) AND c.relname NOT LIKE 'checked\\_query\\_%' ORDER BY 2"
        )
    };
    let tables = sqlx::query(sqlx::AssertSqlSafe(rel("'r','p'")))
        .fetch_all(&mut *conn)
        .await?;
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
        .await?;
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
                    (SELECT CASE WHEN rn.nspname = 'public' THEN '' ELSE rn.nspname || '.' END || rc.relname \
                       FROM pg_class rc JOIN pg_namespace rn ON rn.oid = rc.relnamespace WHERE rc.oid = con.confrelid)::text AS ref_table, \
                    ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o) \
                          JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o) AS ref_cols \
             FROM pg_constraint con WHERE con.conrelid = $1::int8::oid",
        )
        .bind(oid)
        .fetch_all(&mut *conn)
        .await?;
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
        index_lines(conn, oid, &name, &mut lines).await?;
    }
    let enums = sqlx::query(
        "SELECT (CASE WHEN n.nspname = 'public' THEN '' ELSE n.nspname || '.' END || t.typname)::text AS name, \
                COALESCE(array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FILTER (WHERE e.enumlabel IS NOT NULL), '{}') AS labels \
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_enum e ON e.enumtypid = t.oid \
         WHERE t.typtype = 'e' GROUP BY 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    for e in &enums {
        lines.push(format!(
            "enum {} [{}]",
            e.get::<String, _>("name"),
            e.get::<Vec<String>, _>("labels").join(",")
        ));
    }
    for c in sqlx::query(sqlx::AssertSqlSafe(rel("'c'")))
        .fetch_all(&mut *conn)
        .await?
    {
        let attributes: Vec<String> = sqlx::query_scalar(
            "SELECT a.attname::text || ' ' || format_type(a.atttypid, a.atttypmod) FROM pg_attribute a \
             WHERE a.attrelid = $1::int8::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
        )
        .bind(c.get::<i64, _>("oid"))
        .fetch_all(&mut *conn)
        .await?;
        lines.push(format!(
            "composite {} ({})",
            c.get::<String, _>("name"),
            attributes.join(", ")
        ));
    }
    let domains = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT (CASE WHEN n.nspname = 'public' THEN '' ELSE n.nspname || '.' END || t.typname)::text AS name, \
                format_type(t.typbasetype, t.typtypmod) AS base, t.typnotnull AS notnull, t.typdefault IS NOT NULL AS has_default, \
                ARRAY(SELECT c.conname::text FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname::text COLLATE \"C\") AS checks \
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'd' AND {USER_SCHEMA}"
    )))
    .fetch_all(&mut *conn)
    .await?;
    for d in &domains {
        lines.push(format!(
            "domain {} {} notnull={} default={} checks=({})",
            d.get::<String, _>("name"),
            d.get::<String, _>("base"),
            d.get::<bool, _>("notnull"),
            d.get::<bool, _>("has_default"),
            d.get::<Vec<String>, _>("checks").join(",")
        ));
    }
    for v in sqlx::query(sqlx::AssertSqlSafe(rel("'v'")))
        .fetch_all(&mut *conn)
        .await?
    {
        lines.push(format!("view {}", v.get::<String, _>("name")));
    }
    for m in sqlx::query(sqlx::AssertSqlSafe(rel("'m'")))
        .fetch_all(&mut *conn)
        .await?
    {
        let name: String = m.get("name");
        lines.push(format!("matview {name}"));
        index_lines(conn, m.get("oid"), &name, &mut lines).await?;
    }
    for s in sqlx::query(sqlx::AssertSqlSafe(rel("'S'")))
        .fetch_all(&mut *conn)
        .await?
    {
        lines.push(format!("sequence {}", s.get::<String, _>("name")));
    }
    // Casts the service created: past PostgreSQL's own rows (FirstNormalObjectId), and not
    // an extension's (citext and hstore bring theirs).
    let casts: Vec<String> = sqlx::query_scalar(
        "SELECT 'cast ' || format_type(c.castsource, NULL) || ' -> ' || format_type(c.casttarget, NULL) \
                || ' context=' || c.castcontext::text || ' method=' || c.castmethod::text \
         FROM pg_cast c WHERE c.oid >= 16384 AND NOT EXISTS (SELECT 1 FROM pg_depend d \
           WHERE d.classid = 'pg_cast'::regclass AND d.objid = c.oid AND d.deptype = 'e')",
    )
    .fetch_all(&mut *conn)
    .await?;
    lines.extend(casts);
    lines.sort();
    Ok(lines)
}

/// The index lines of one relation (a table or a materialized view).
async fn index_lines(
    conn: &mut PgConnection,
    oid: i64,
    name: &str,
    lines: &mut Vec<String>,
) -> Result<(), sqlx::Error> {
    let idx = sqlx::query(
        "SELECT (CASE WHEN n.nspname = 'public' THEN '' ELSE n.nspname || '.' END || i.relname)::text AS name, ix.indisunique AS uniq, ix.indpred IS NOT NULL AS partial, ix.indnkeyatts::int4 AS nkeys, \
                ARRAY(SELECT COALESCE(a.attname::text, '<expr>') FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(n, o) \
                      LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.n ORDER BY k.o) AS cols \
         FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace \
         WHERE ix.indrelid = $1::int8::oid",
    )
    .bind(oid)
    .fetch_all(&mut *conn)
    .await?;
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
    Ok(())
}

/// Runs every UP, every DOWN (newest first), then every UP again on the database at `url`
/// (which should be empty), and asserts after each full UP that the database's schema equals
/// the schema the checker built from the migration files — so the compile-time checks and
/// PostgreSQL agree — and after the full DOWN that nothing of the service is left.
///
/// # Panics
/// When a migration fails or the schemas differ, with what differs.
pub async fn up_down_up(url: &str, migrator: &Migrator) {
    let pool = sqlx::PgPool::connect(url)
        .await
        .unwrap_or_else(|e| panic!("connect to {url}: {e}"));
    let mut conn = PgConnection::connect(url)
        .await
        .unwrap_or_else(|e| panic!("connect to {url}: {e}"));
    let expected: Vec<String> = migrator
        .expected_schema()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let total = migrator.migrations().len();
    for round in ["first UP", "second UP"] {
        let ran = migrator
            .up(&pool)
            .await
            .unwrap_or_else(|e| panic!("{round}: {e}"));
        assert_eq!(
            ran, total,
            "{round}: {ran} of {total} migrations ran; up_down_up needs a database with none of them applied (e.g. a fresh TempPostgres)"
        );
        let actual = database_schema(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("reading the schema: {e}"));
        assert_same(&format!("after the {round}"), &expected, &actual);
        if round == "first UP" {
            let reverted = migrator
                .down(&pool, total)
                .await
                .unwrap_or_else(|e| panic!("DOWN: {e}"));
            assert_eq!(
                reverted, total,
                "DOWN: expected every migration to be reverted"
            );
            let left = database_schema(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("reading the schema: {e}"));
            assert_same("after DOWN of every migration", &[], &left);
        }
    }
    pool.close().await;
}

/// Panics with the lines only one side has.
pub fn assert_same(step: &str, checker: &[String], database: &[String]) {
    if checker != database {
        // A line one side has more often than the other (both are sorted lists).
        let only = |a: &[String], b: &[String]| {
            let count = |v: &[String], l: &String| v.iter().filter(|x| *x == l).count();
            let mut lines: Vec<String> = a
                .iter()
                .filter(|l| count(a, l) > count(b, l))
                .cloned()
                .collect();
            lines.dedup();
            lines.join("\n  ")
        };
        panic!(
            "{step}: the database's schema differs from the checker's\nonly in the database:\n  {}\nonly in the checker's catalog:\n  {}",
            only(database, checker),
            only(checker, database)
        );
    }
}
