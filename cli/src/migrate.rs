//! `checked-query migrate up|down|status`: the runtime crate's migrator, fed with migrations
//! the checker planned from the files (the same plan `migrate!()` embeds at compile time).

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use checked_query::sqlx::PgPool;
use checked_query::{Migration, Migrator};
use checked_query_checker::diagnostic::{has_errors, Diagnostic};
use checked_query_checker::migrations::{plan, service_name};
use checked_query_checker::{lints, policies::Settings, Code};

/// What to do.
#[derive(Clone, Copy)]
pub enum Action {
    Up,
    Down { steps: usize },
    Status,
}

/// Plans the migrations of `dir`, refusing any with errors (the build's or the lints'), as
/// the query macros refuse to compile against them.
pub fn load(dir: &Path) -> Result<Migrator, Vec<Diagnostic>> {
    let settings = Settings::for_dir(dir).map_err(|d| vec![d])?;
    let service = service_name(dir);
    let ws = checked_query_checker::build_workspace_with(dir, &settings);
    let Some(built) = ws.service(&service) else {
        return Err(vec![Diagnostic::new(
            Code::Io,
            format!("no migrations in `{}`", dir.display()),
        )
        .in_file(dir)
        .with_help("pass `--migrations services/NAME/migrations`")]);
    };
    // The lints include the build's own diagnostics.
    let mut diagnostics = lints::lint_service(built, &settings);
    if has_errors(&diagnostics) {
        diagnostics.retain(Diagnostic::is_error);
        return Err(diagnostics);
    }
    let planned = plan(&built.migrations.migrations).map_err(|d| vec![d])?;
    // The migrator works on `'static` data (what `migrate!()` embeds); a one-shot command
    // can leak its plan to get that.
    let leak = |v: Vec<String>| -> &'static [&'static str] {
        Box::leak(
            v.into_iter()
                .map(|s| &*Box::leak(s.into_boxed_str()))
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        )
    };
    let migrations: Vec<Migration> = planned
        .into_iter()
        .map(|m| Migration {
            name: Box::leak(m.name.into_boxed_str()),
            checksum: Box::leak(m.checksum.into_boxed_str()),
            sqlx_checksums: leak(m.sqlx_checksums),
            up: leak(m.up),
            down: leak(m.down),
            no_transaction: m.no_transaction,
        })
        .collect();
    let schema = leak(checked_query_checker::catalog::schema_lines(&built.catalog));
    Ok(Migrator::__new(
        Box::leak(migrations.into_boxed_slice()),
        schema,
    ))
}

/// Runs `action` against the database; prints what happened.
pub fn run(migrator: Migrator, url: &str, lease: Option<Duration>, action: Action) -> ExitCode {
    let migrator = match lease {
        Some(l) => migrator.with_lease(l),
        None => migrator,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let result = runtime.block_on(async {
        let pool = PgPool::connect(url)
            .await
            .map_err(|e| format!("cannot connect to the database: {e}"))?;
        let outcome = match action {
            Action::Up => migrator
                .up(&pool)
                .await
                .map(|n| format!("applied {n} migration(s)")),
            Action::Down { steps } => migrator
                .down(&pool, steps)
                .await
                .map(|n| format!("reverted {n} migration(s)")),
            Action::Status => migrator.status(&pool).await.map(|all| {
                all.iter()
                    .map(|s| {
                        let state = match (s.applied, s.dirty) {
                            (_, true) => "dirty",
                            (true, false) => "applied",
                            (false, false) => "pending",
                        };
                        format!("{state:<8} {}", s.name)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            }),
        };
        pool.close().await;
        outcome.map_err(|e| e.to_string())
    });
    match result {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
