fn main() {
    checked_query::build::rerun_if_migrations_change();
}
