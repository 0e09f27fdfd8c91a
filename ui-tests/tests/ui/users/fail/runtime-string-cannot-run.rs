// Nothing public runs a SQL string built at run time: the only way to a `Query` is a type
// whose SQL is an associated *constant*, and a constant cannot come from run-time data.
use checked_query::__private::{Args, StaticSql};

struct Sneaky;

impl StaticSql for Sneaky {
    const SQL: &'static str = std::env::var("SQL").unwrap().as_str();
}

fn main() {
    let _ = checked_query::Query::<()>::__new::<Sneaky>(Args::default(), |_| Ok(()));
}
