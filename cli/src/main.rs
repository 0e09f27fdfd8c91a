//! `checked-query`: the command line around the checker. Argument parsing and output only;
//! every analysis lives in `checked-query-checker`.
#![allow(clippy::result_large_err)] // diagnostics are the error type, built on cold paths

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use checked_query_checker::diagnostic::{has_errors, Diagnostic};
use checked_query_checker::{build_workspace, config, render};
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "checked-query",
    version,
    about = "SQL checked against your service's own migrations"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Human,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Print the schema a service's migrations define (after every UP section).
    Schema {
        /// The service's migrations directory (`services/{name}/migrations`). Defaults to the
        /// one `checked-query.toml` names.
        #[arg(long)]
        migrations: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Schema { migrations, format } => schema(migrations, format),
    }
}

fn fail(d: Diagnostic, format: Format) -> ExitCode {
    match format {
        Format::Json => println!("{}", serde_json::json!({ "diagnostics": [d] })),
        Format::Human => eprint!(
            "{}",
            render::human::render_all(&[d], std::io::stderr().is_terminal())
        ),
    }
    ExitCode::FAILURE
}

fn resolve_migrations(given: Option<PathBuf>) -> Result<PathBuf, Diagnostic> {
    if let Some(dir) = given {
        return Ok(dir);
    }
    let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let loaded = config::find(&here)?;
    loaded.as_ref().and_then(config::Loaded::migrations_dir).ok_or_else(|| {
        Diagnostic::new(
            checked_query_checker::Code::Config,
            format!("no migrations directory given and no `{}` naming one above `{}`", config::FILE_NAME, here.display()),
        )
        .with_help("pass `--migrations services/NAME/migrations`, or write `migrations = \"…\"` in checked-query.toml")
    })
}

fn schema(migrations: Option<PathBuf>, format: Format) -> ExitCode {
    let dir = match resolve_migrations(migrations) {
        Ok(d) => d,
        Err(d) => return fail(d, format),
    };
    let service = checked_query_checker::migrations::service_name(&dir);
    let workspace = build_workspace(&dir);
    let own = workspace
        .service(&service)
        .expect("the workspace includes the given service");
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&render::json::schema(&own.catalog, &own.diagnostics))
                .unwrap()
        ),
        Format::Human => {
            print!("{}", render::text::schema(&own.catalog));
            eprint!(
                "{}",
                render::human::render_all(&own.diagnostics, std::io::stderr().is_terminal())
            );
        }
    }
    if has_errors(&own.diagnostics) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
