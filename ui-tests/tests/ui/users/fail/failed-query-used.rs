use checked_query::{checked_query, checked_query_as, checked_query_scalar};

pub struct User {
    pub id: String,
    pub email: String,
}

// Queries that do not check, used exactly as working ones are: each reports its own error
// and nothing follows from it (no E0599 on the method, E0282 on the row, E0308 or E0609).
async fn run(pool: &checked_query::sqlx::PgPool) -> Result<(), checked_query::sqlx::Error> {
    let rows = checked_query!("SELECT id, emial FROM users").fetch_all(pool).await?;
    let emails: Vec<String> = rows.into_iter().map(|r| r.email).collect();
    let row = checked_query!("SELECT id FROM userz WHERE id = $1", "u1").fetch_one(pool).await?;
    let id: String = row.id;
    let users: Vec<User> = checked_query_as!(User, "SELECT id, emial AS email FROM users")
        .fetch_all(pool)
        .await?;
    let n: i64 = checked_query_scalar!("SELECT count(*) FROM userz").fetch_one(pool).await?;
    let done = checked_query!("UPDATE users SET emial = $1", "x").execute(pool).await?;
    println!("{emails:?} {id} {} {n} {}", users.len(), done.rows_affected());
    Ok(())
}

fn main() {
    let _ = run;
}
