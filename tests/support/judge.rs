//! PostgreSQL as the judge of a statement: parsed, analysed and described by the server,
//! without running it (SET, RESET and SHOW excepted, which PostgreSQL checks only as they run;
//! they run in a transaction that is rolled back). Shared by the differential test and the
//! `measure` tool that runs real services' queries.

// PostgreSQL's verdicts come through sqlx 0.8's Parse/Describe: 0.9.1 cannot resolve the
// multirange result types PostgreSQL 15 describes ("unknown type code 109").
use sqlx::{Executor, PgConnection, Row};
use sqlx_describe as sqlx;

#[derive(Debug, PartialEq)]
/// What PostgreSQL says of a statement it accepts: its parameter types and its columns
/// (name, type), each type as `format_type` prints it.
pub struct Described {
    pub params: Vec<String>,
    pub columns: Vec<(String, String)>,
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
