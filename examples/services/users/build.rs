fn main() {
    checked_query_build::rerun_if_migrations_change();
}
