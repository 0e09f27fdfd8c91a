//! SQL → analysis against the users example's catalog.
#![no_main]
use std::path::Path;

use checked_query_checker::fuzzing::Fixture;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    Fixture::get(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))).sql(data)
});
