//! Proc-macro shell of `checked-query`. Users depend on the `checked-query` crate, which
//! re-exports what this crate provides; all analysis lives in `checked-query-checker`.
