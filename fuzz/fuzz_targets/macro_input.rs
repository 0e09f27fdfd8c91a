//! The tokens of a query macro's call → the macros' input parser.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| checked_query_checker::fuzzing::macro_input(data));
