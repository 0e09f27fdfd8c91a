//! Test support: the throwaway PostgreSQL of `checked_query::testing`, and a blocking
//! runner for the synchronous integration tests.

pub use checked_query::testing::TempPostgres as TestDb;

/// Runs a future to completion on a fresh runtime (the tests here are synchronous).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(f)
}
