use checked_query::checked_query_scalar;

fn main() {
    // bigint / integer: an integer on PostgreSQL, DECIMAL on CockroachDB — the Rust type
    // cannot decode both, so the build asks for a cast.
    let _ = checked_query_scalar!("SELECT count(*) / 2 FROM sessions");
}
