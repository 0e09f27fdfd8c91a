// Nothing public runs a SQL string built at run time: the only way to a `Query` is a type
// whose SQL is an associated *constant*, and a constant cannot come from run-time data.
// (The run-time source is a function of this file, not `std::env::var` itself, so that what
// rustc prints is the same with and without the `rust-src` component.)
use checked_query::__private::{Args, StaticSql};

fn sql_from_the_environment() -> &'static str {
    Box::leak(std::env::var("SQL").unwrap_or_default().into_boxed_str())
}

struct Sneaky;

impl StaticSql for Sneaky {
    const SQL: &'static str = sql_from_the_environment();
}

fn main() {
    let _ = checked_query::Query::<()>::__new::<Sneaky>(Args::default(), |_| Ok(()));
}
