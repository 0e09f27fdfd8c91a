use checked_query::{checked_query, checked_query_scalar};
use checked_query::sqlx::PgPool;

// PostgreSQL's own relations are a read-only catalog: `name` columns are Strings, catalog
// table columns NOT NULL where pg_attribute says so, every view column an Option.
async fn run(pool: &PgPool) -> Result<(), checked_query::sqlx::Error> {
    let exists: bool = checked_query_scalar!(
        "SELECT EXISTS (SELECT 1 FROM pg_type WHERE typname = $1)",
        "user_role"
    )
    .fetch_one(pool)
    .await?;
    let columns = checked_query!(
        "SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = $1",
        "users"
    )
    .fetch_all(pool)
    .await?;
    for c in columns {
        let _: Option<String> = c.column_name;
        let _: Option<String> = c.is_nullable;
    }
    let relations = checked_query!(
        "SELECT c.relname, n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r'"
    )
    .fetch_all(pool)
    .await?;
    for r in relations {
        let _: String = r.relname;
        let _: String = r.nspname;
    }
    let _ = exists;
    Ok(())
}

fn main() {
    let _ = run;
}
