use checked_query::checked_query;
use checked_query::sqlx::PgPool;

async fn run(pool: &PgPool) -> Result<(), checked_query::sqlx::Error> {
    let owned = String::from("a");
    let opt: Option<String> = None;
    let ids = vec![String::from("u1")];
    let _ = checked_query!("SELECT id FROM users WHERE email = $1", owned).fetch_all(pool).await?;
    let _ = checked_query!("SELECT id FROM users WHERE email = $1", &opt).fetch_all(pool).await?;
    let _ = checked_query!("SELECT id FROM users WHERE id = ANY($1)", &ids).fetch_all(pool).await?;
    let _ = checked_query!("SELECT id FROM users WHERE id = ANY($1)", &["u1", "u2"][..]).fetch_all(pool).await?;
    let _ = checked_query!("SELECT id FROM users LIMIT $1", 10).fetch_all(pool).await?;
    Ok(())
}

fn main() {
    let _ = run;
}
