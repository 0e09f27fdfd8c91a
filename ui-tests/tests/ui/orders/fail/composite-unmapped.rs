use checked_query::checked_query;
use checked_query::sqlx::PgPool;

// A composite column needs a Rust type named in the configuration; its fields do not.
async fn run(pool: &PgPool) -> Result<(), checked_query::sqlx::Error> {
    let row = checked_query!("SELECT ship_to FROM orders LIMIT 1").fetch_one(pool).await?;
    let _ = row;
    let fields = checked_query!("SELECT (ship_to).city FROM orders LIMIT 1").fetch_one(pool).await?;
    let _: Option<String> = fields.city;
    Ok(())
}

fn main() {
    let _ = run;
}
