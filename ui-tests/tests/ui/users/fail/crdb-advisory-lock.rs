use checked_query::checked_query_scalar;

fn main() {
    let _ = checked_query_scalar!("SELECT pg_try_advisory_lock(42)");
}
