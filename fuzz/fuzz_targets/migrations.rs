//! A migrations directory (files separated by `fuzzing::FILE_SEPARATOR`) → catalog + lints.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| checked_query_checker::fuzzing::migrations(data));
