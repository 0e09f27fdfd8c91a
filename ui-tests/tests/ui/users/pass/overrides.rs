use checked_query::checked_query;
use checked_query::sqlx::PgPool;

async fn run(pool: &PgPool) -> Result<(), checked_query::sqlx::Error> {
    let r = checked_query!(r#"SELECT max(email) AS "last!", email AS "maybe?", id AS "key: String" FROM users GROUP BY email, id"#)
        .fetch_one(pool)
        .await?;
    let _: (String, Option<String>, String) = (r.last, r.maybe, r.key);
    Ok(())
}

fn main() {
    let _ = run;
}
