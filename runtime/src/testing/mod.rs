//! A real PostgreSQL for tests (feature `testing`).
//!
//! With `DATABASE_URL` set, each [`TempPostgres`] is a fresh database on that server, dropped
//! afterwards. Without it, each [`TempPostgres`] starts a throwaway cluster from the local
//! PostgreSQL binaries (`/usr/lib/postgresql/<v>/bin`, or `initdb` on `PATH`) on a free
//! loopback port, and removes it afterwards. As root, the server runs as the `postgres` user
//! through `runuser`, since PostgreSQL refuses to run as root. No binaries is a failure that
//! says how to install them, never a skip.
//!
//! We start clusters ourselves rather than with `pgtemp`: pgtemp 0.7 runs `sudo`, which
//! minimal images lack, and does not wait for the server to accept connections.

mod schema;
pub use schema::{assert_same, database_schema, up_down_up};

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A database for one test (or one example run); removed when dropped.
pub struct TempPostgres {
    url: String,
    cluster: Option<Cluster>,
    admin: Option<(String, String)>, // (server url, database name) to drop
}

struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    as_postgres: bool,
}

impl TempPostgres {
    /// Starts (or creates) the database. Blocking; safe to call from sync or async code.
    ///
    /// # Panics
    /// When neither `DATABASE_URL` nor local PostgreSQL binaries are available, with a
    /// message saying how to install them.
    pub fn start() -> TempPostgres {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        if let Ok(url) = std::env::var("DATABASE_URL") {
            let name = format!("cq_test_{}_{n}", std::process::id());
            block_on(async {
                let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
                    .await
                    .expect("connect to DATABASE_URL");
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut conn)
                    .await
                    .expect("create test database");
            });
            let db_url = replace_database(&url, &name);
            return TempPostgres {
                url: db_url,
                cluster: None,
                admin: Some((url, name)),
            };
        }
        let bin = find_binaries();
        let dir = std::env::temp_dir().join(format!("cq-pg-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create cluster dir");
        let as_postgres = is_root();
        if as_postgres {
            run(
                Command::new("chown").args(["-R", "postgres"]).arg(&dir),
                "chown the cluster dir to postgres",
            );
        }
        let cluster = Cluster {
            bin,
            dir,
            as_postgres,
        };
        let data = cluster.dir.join("data");
        cluster.run(
            "initdb",
            &[
                "-D",
                path(&data),
                "-U",
                "postgres",
                "--auth=trust",
                "-N",
                "-E",
                "UTF8",
                "--locale=C",
            ],
        );
        let port = free_port();
        let opts = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            path(&cluster.dir)
        );
        let log = cluster.dir.join("server.log");
        cluster.run(
            "pg_ctl",
            &[
                "-D",
                path(&data),
                "-o",
                &opts,
                "-l",
                path(&log),
                "-w",
                "-t",
                "60",
                "start",
            ],
        );
        TempPostgres {
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            cluster: Some(cluster),
            admin: None,
        }
    }
}

impl TempPostgres {
    /// The connection URL.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        if let Some(c) = &self.cluster {
            let data = c.dir.join("data");
            let _ = c
                .command("pg_ctl")
                .args(["-D", path(&data), "-m", "immediate", "-w", "stop"])
                .output();
            let _ = std::fs::remove_dir_all(&c.dir);
        }
        if let Some((url, name)) = &self.admin {
            let (url, name) = (url.clone(), name.clone());
            block_on(async move {
                if let Ok(mut conn) = <sqlx::PgConnection as sqlx::Connection>::connect(&url).await
                {
                    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .execute(&mut conn)
                    .await;
                }
            });
        }
    }
}

impl Cluster {
    fn command(&self, program: &str) -> Command {
        let exe = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        }
    }

    fn run(&self, program: &str, args: &[&str]) {
        let mut c = self.command(program);
        c.args(args);
        run(&mut c, program);
    }
}

fn run(c: &mut Command, what: &str) {
    let out = c
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    if !out.status.success() {
        panic!(
            "{what} failed ({}):\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A program of the PostgreSQL installation the throwaway clusters come from (`pg_dump`,
/// `psql`): in the newest `/usr/lib/postgresql/<v>/bin`, else beside `initdb` on `PATH`.
/// Panics with install instructions when there is none.
pub fn server_program(name: &str) -> PathBuf {
    find_binaries().join(name)
}

/// The newest `/usr/lib/postgresql/<v>/bin`, else the directory of `initdb` on `PATH`.
fn find_binaries() -> PathBuf {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return bin;
    }
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            if dir.join("initdb").is_file() && dir.join("pg_ctl").is_file() {
                return dir;
            }
        }
    }
    panic!(
        "integration tests need a PostgreSQL server: no `initdb` in /usr/lib/postgresql/*/bin or on PATH.\n\
         Install it (Debian/Ubuntu: `apt-get install postgresql`), or set DATABASE_URL to a server \
         where the tests may create databases."
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind a loopback port")
        .local_addr()
        .unwrap()
        .port()
}

fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let prefix = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    }
}

/// Runs a future to completion on a fresh runtime (tests here are synchronous).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(f)
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_urls_are_rewritten() {
        assert_eq!(
            super::replace_database("postgres://u:p@h:5432/db?sslmode=disable", "x"),
            "postgres://u:p@h:5432/x?sslmode=disable"
        );
        assert_eq!(
            super::replace_database("postgres://u@h/db", "x"),
            "postgres://u@h/x"
        );
    }
}
