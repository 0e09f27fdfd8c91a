//! PostgreSQL as the judge of a statement: parsed, analysed and described by the server,
//! without running it (SET, RESET and SHOW excepted, which PostgreSQL checks only as they run;
//! they run in a transaction that is rolled back). Shared by the differential test and the
//! `measure` tool that runs real services' queries.

// PostgreSQL's verdicts come through sqlx 0.8's Parse/Describe: 0.9.1 cannot resolve the
// multirange result types PostgreSQL 15 describes ("unknown type code 109").
use std::collections::BTreeSet;

use sqlx::{Executor, PgConnection, Row};
use sqlx_describe as sqlx;

#[derive(Debug, PartialEq)]
/// What PostgreSQL says of a statement it accepts: its parameter types and its columns
/// (name, type), each type as `format_type` prints it.
pub struct Described {
    pub params: Vec<String>,
    pub columns: Vec<(String, String)>,
}

impl Described {
    /// The same description from the checker's analysis of the statement.
    pub fn of(analysis: &checked_query_checker::analysis::Analysis) -> Described {
        Described {
            params: analysis.params.iter().map(|p| p.to_string()).collect(),
            columns: analysis
                .columns
                .iter()
                .map(|c| (c.name.clone(), c.ty.to_string()))
                .collect(),
        }
    }
}

/// PostgreSQL's verdict on an error: (SQLSTATE, message); `?` for a non-database error.
pub fn db_error(e: sqlx::Error) -> (String, String) {
    match e.as_database_error() {
        Some(d) => (
            d.code().map(|c| c.to_string()).unwrap_or_default(),
            d.message().to_string(),
        ),
        None => ("?".to_string(), e.to_string()),
    }
}

pub async fn describe_on_postgres(
    conn: &mut PgConnection,
    sql: &str,
) -> Result<Described, (String, String)> {
    let _ = sqlx::raw_sql("DEALLOCATE cq_stmt")
        .execute(&mut *conn)
        .await;
    // PREPARE takes no CALL: a procedure call is judged by the protocol's Parse/Describe
    // alone (it is not executed for the nullability check).
    let first = sql
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let is_call = first == "call";
    // SET, RESET and SHOW take no parameters and PostgreSQL checks them only when they run:
    // they are judged by running them (in a transaction that is rolled back).
    let utility = matches!(first.as_str(), "set" | "reset" | "show");
    if utility {
        sqlx::raw_sql("BEGIN")
            .execute(&mut *conn)
            .await
            .map_err(db_error)?;
        let ran = sqlx::raw_sql(sql).execute(&mut *conn).await;
        sqlx::raw_sql("ROLLBACK")
            .execute(&mut *conn)
            .await
            .map_err(db_error)?;
        ran.map_err(db_error)?;
    }
    // Parse and Describe only: sqlx's `describe` also plans the statement with NULL
    // arguments (EXPLAIN … EXECUTE) for its nullability guesses, which fails where a NULL
    // meets a NOT NULL domain — an error of those arguments, not of the query.
    let statement = conn.prepare(sql).await.map_err(db_error)?;
    let params: Vec<String> = if is_call || utility {
        let oids: Vec<i64> = match sqlx::Statement::parameters(&statement) {
            Some(sqlx::Either::Left(types)) => types
                .iter()
                .map(|t| t.oid().map_or(0, |o| o.0 as i64))
                .collect(),
            _ => Vec::new(),
        };
        let mut names = Vec::new();
        for oid in oids {
            names.push(
                sqlx::query_scalar("SELECT format_type($1::int8::oid, NULL)")
                    .bind(oid)
                    .fetch_one(&mut *conn)
                    .await
                    .unwrap(),
            );
        }
        names
    } else {
        sqlx::raw_sql(&format!("PREPARE cq_stmt AS {sql}"))
            .execute(&mut *conn)
            .await
            .map_err(db_error)?;
        let row = sqlx::query(
            "SELECT parameter_types::text[] AS p FROM pg_prepared_statements WHERE name = 'cq_stmt'",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        row.get("p")
    };
    // PostgreSQL 15 has no `result_types` in pg_prepared_statements: take the column oids
    // from the protocol's Describe and name them with format_type.
    let mut columns = Vec::new();
    for c in sqlx::Statement::columns(&statement) {
        let oid = sqlx::Column::type_info(c)
            .oid()
            .map(|o| o.0 as i64)
            .unwrap_or(0);
        let name: String = sqlx::query_scalar("SELECT format_type($1::int8::oid, NULL)")
            .bind(oid)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        columns.push((sqlx::Column::name(c).to_string(), name));
    }
    Ok(Described { params, columns })
}

/// A value of each parameter type, as an SQL literal, for running prepared statements.
pub fn sample_value(ty: &str) -> String {
    let v = match ty.trim_end_matches("[]") {
        "smallint" | "integer" | "bigint" => "1",
        "numeric" | "real" | "double precision" => "1.5",
        "boolean" => "true",
        "uuid" => "00000000-0000-0000-0000-000000000001",
        "date" => "2024-01-31",
        "timestamp without time zone" | "timestamp with time zone" => "2024-01-31 12:00:00",
        "time without time zone" => "12:00",
        "interval" => "1 day",
        "json" | "jsonb" => "{\"a\": 1}",
        "inet" => "10.0.0.1",
        "bytea" => "\\x01",
        "order_status" => "paid",
        "user_role" => "member",
        _ => "a",
    };
    let literal = if ty.ends_with("[]") {
        format!("{{\"{v}\"}}")
            .replace("\"{", "{")
            .replace("}\"", "}")
    } else {
        v.to_string()
    };
    let literal = if ty.ends_with("[]") && matches!(ty.trim_end_matches("[]"), "json" | "jsonb") {
        "{}".to_string()
    } else {
        literal
    };
    format!("'{}'::{ty}", literal.replace('\'', "''"))
}

/// Runs the prepared statement and returns the indexes of columns that came back NULL.
pub async fn null_columns(
    conn: &mut PgConnection,
    params: &[String],
) -> Result<BTreeSet<usize>, (String, String)> {
    let err = db_error;
    let args: Vec<String> = params.iter().map(|p| sample_value(p)).collect();
    let exec = if args.is_empty() {
        "EXECUTE cq_stmt".to_string()
    } else {
        format!("EXECUTE cq_stmt({})", args.join(", "))
    };
    sqlx::raw_sql("BEGIN")
        .execute(&mut *conn)
        .await
        .map_err(err)?;
    let rows = sqlx::raw_sql(&exec).fetch_all(&mut *conn).await;
    sqlx::raw_sql("ROLLBACK")
        .execute(&mut *conn)
        .await
        .map_err(err)?;
    let rows = rows.map_err(err)?;
    let mut nulls = BTreeSet::new();
    for row in rows {
        for i in 0..row.len() {
            if sqlx::Row::try_get_raw(&row, i)
                .map(|v| sqlx::ValueRef::is_null(&v))
                .unwrap_or(false)
            {
                nulls.insert(i);
            }
        }
    }
    Ok(nulls)
}

/// Whether PostgreSQL's error when a statement runs is one it raises for the statement
/// itself, not for the sample arguments: PREPARE does not plan, so ON CONFLICT inference, a
/// NOT NULL column left out or a literal too long for its column fail only then.
pub fn rejected_when_run(state: &str) -> bool {
    state.starts_with("42") || state.starts_with("0A") || state == "23502" || state == "22001"
}
