//! Test support: the throwaway PostgreSQL of `checked_query::testing`, and a blocking
//! runner for the synchronous integration tests.

pub mod judge;

use checked_query_checker::policies::Settings;
use checked_query_checker::{build_service_with, render, ServiceCatalog};

pub use checked_query::testing::TempPostgres as TestDb;

/// Runs a future to completion on a fresh runtime (the tests here are synchronous).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(f)
}

/// PostgreSQL is the judge in these tests: CockroachDB's rules are not in play.
pub fn postgres_only() -> Settings {
    Settings {
        postgres_only: true,
        ..Settings::default()
    }
}

/// A fixture service's catalog under [`postgres_only`], which must build without a
/// diagnostic.
pub fn build_clean(dir: &std::path::Path, service: &str) -> ServiceCatalog {
    let built = build_service_with(
        checked_query_checker::migrations::load_migrations(dir, service),
        &postgres_only(),
        &Default::default(),
    );
    assert!(
        built.diagnostics.is_empty(),
        "the fixture migrations of `{service}` must build cleanly:\n{}",
        render::human::render_all(&built.diagnostics, false)
    );
    built
}

/// The SQLSTATE of a database error (`None` for any other error).
pub fn sqlstate(err: &checked_query::sqlx::Error) -> Option<String> {
    err.as_database_error()
        .and_then(|e| e.code())
        .map(|c| c.to_string())
}

/// A Rust enum for the `priority` enum of the round-trip schema, configured in this crate's
/// `[package.metadata.checked-query.enums]`. It implements sqlx's traits by hand, as a
/// `#[derive(sqlx::Type)]` would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    Low,
    High,
}

mod priority_sqlx {
    use super::Priority;
    use checked_query::sqlx::encode::IsNull;
    use checked_query::sqlx::error::BoxDynError;
    use checked_query::sqlx::postgres::{PgArgumentBuffer, PgHasArrayType, PgTypeInfo, PgValueRef};
    use checked_query::sqlx::{Decode, Encode, Postgres, Type};

    impl Type<Postgres> for Priority {
        fn type_info() -> PgTypeInfo {
            PgTypeInfo::with_name("priority")
        }
    }

    impl PgHasArrayType for Priority {
        fn array_type_info() -> PgTypeInfo {
            PgTypeInfo::array_of("priority")
        }
    }

    impl Encode<'_, Postgres> for Priority {
        fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
            let label = match self {
                Priority::Low => "low",
                Priority::High => "high",
            };
            <&str as Encode<Postgres>>::encode_by_ref(&label, buf)
        }
    }

    impl<'r> Decode<'r, Postgres> for Priority {
        fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
            match <&str as Decode<Postgres>>::decode(value)? {
                "low" => Ok(Priority::Low),
                "high" => Ok(Priority::High),
                other => Err(format!("unknown priority `{other}`").into()),
            }
        }
    }
}
