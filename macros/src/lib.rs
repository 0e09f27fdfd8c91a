//! Proc-macro shell of `checked-query`: parse the call, ask the checker, write tokens. Users
//! depend on the `checked-query` crate, which re-exports these macros; all analysis lives in
//! `checked-query-checker`.

mod check;
mod expand;
mod input;

use proc_macro::TokenStream;

/// A checked query whose rows are a record with one field per result column.
#[proc_macro]
pub fn checked_query(input: TokenStream) -> TokenStream {
    expand::run(input.into(), input::Form::Record).into()
}

/// A checked query filling a struct of yours by field name: `checked_query_as!(User, "…", args…)`.
#[proc_macro]
pub fn checked_query_as(input: TokenStream) -> TokenStream {
    expand::run(input.into(), input::Form::As).into()
}

/// The service's migrations, embedded at compile time: `checked_query::migrate!().up(&pool)`.
#[proc_macro]
pub fn migrate(input: TokenStream) -> TokenStream {
    expand::migrate(input.into()).into()
}

/// A checked query of one column: each row is that column's value.
#[proc_macro]
pub fn checked_query_scalar(input: TokenStream) -> TokenStream {
    expand::run(input.into(), input::Form::Scalar).into()
}
