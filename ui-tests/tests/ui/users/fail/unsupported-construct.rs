use checked_query::checked_query;

fn main() {
    let _ = checked_query!("SELECT stxdndistinct FROM pg_statistic_ext_data");
}
