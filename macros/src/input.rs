//! The macro call's grammar lives with the checker, which `check` parses Rust files with
//! too; the macro parses its own tokens with it.

pub use checked_query_checker::verdict::call::{Arg, Call, Form, Parser};
