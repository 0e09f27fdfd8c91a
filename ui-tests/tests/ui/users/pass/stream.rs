use checked_query::checked_query_scalar;
use checked_query::sqlx::PgPool;

async fn run(pool: &PgPool) {
    let _stream = checked_query_scalar!("SELECT email FROM users").fetch(pool);
}

fn main() {
    let _ = run;
}
