//! Rust sources as `check` reads them: the checked macro calls and unchecked SQL in a file
//! ([`scan`]), and positions inside string literals ([`literal`]).

pub mod literal;
pub mod scan;
