use checked_query::checked_query;

async fn run(pool: &checked_query::sqlx::PgPool) -> Result<(), checked_query::sqlx::Error> {
    // One error for the query; none for the uses of its (unknown) row type.
    let row = checked_query!("SELECT emial FROM users").fetch_one(pool).await?;
    println!("{}", row.email);
    Ok(())
}

fn main() {
    let _ = run;
}
