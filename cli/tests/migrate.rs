//! `checked-query migrate` against a real PostgreSQL: concurrent migrators, a migrator killed
//! mid-migration, `CONCURRENTLY` outside a transaction, dirty and modified migrations.
//!
//! The fixture's `002` and `004` sleep longer than the lease these tests give the migrator
//! (500 ms), so only the heartbeat keeps the lock while they run.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use checked_query::sqlx::{Connection, PgConnection, Row};
use checked_query::testing::{block_on, TempPostgres};

mod support;
use support::TempDir;

const LEASE_MS: &str = "500";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/slow/migrations")
}

fn migrate(url: &str, args: &[&str]) -> Command {
    migrate_in(&fixture(), url, args)
}

fn migrate_in(dir: &Path, url: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_checked-query"));
    cmd.arg("migrate")
        .args(args)
        .arg("--migrations")
        .arg(dir)
        .args(["--database-url", url, "--lease-ms", LEASE_MS])
        .env_remove("DATABASE_URL");
    cmd
}

fn run(url: &str, args: &[&str]) -> Output {
    migrate(url, args).output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// (name, started_at, applied_at, dirty) from the ledger, in start order; times as
/// microseconds since the epoch.
fn ledger(url: &str) -> Vec<(String, i64, i64, bool)> {
    block_on(async {
        let mut conn = PgConnection::connect(url).await.unwrap();
        checked_query::sqlx::query(
            "SELECT name, (extract(epoch FROM started_at) * 1e6)::int8, (extract(epoch FROM applied_at) * 1e6)::int8, dirty \
             FROM checked_query_migrations ORDER BY started_at",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect()
    })
}

fn sql(url: &str, statement: &str) {
    block_on(async {
        let mut conn = PgConnection::connect(url).await.unwrap();
        checked_query::sqlx::raw_sql(checked_query::sqlx::AssertSqlSafe(statement))
            .execute(&mut conn)
            .await
            .unwrap();
    });
}

const ALL: [&str; 4] = [
    "001_create_jobs",
    "002_slow_backfill",
    "003_index_jobs_name",
    "004_slow_again",
];

#[test]
fn eight_concurrent_migrators_apply_every_migration_exactly_once() {
    let db = TempPostgres::start();
    let children: Vec<Child> = (0..8)
        .map(|_| {
            migrate(db.url(), &["up"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut applied = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        // A migration applied twice would fail (its ADD COLUMN exists already): every
        // process must succeed, and together they applied each migration once.
        assert!(out.status.success(), "{}", text(&out));
        let report = String::from_utf8_lossy(&out.stdout).to_string();
        let n: usize = report
            .trim()
            .strip_prefix("applied ")
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("unexpected report: {report}"));
        applied += n;
    }
    assert_eq!(applied, 4);
    let rows = ledger(db.url());
    let names: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(names, ALL);
    assert!(rows.iter().all(|r| !r.3), "nothing left dirty: {rows:?}");
    // No overlap: each migration started after the previous one was recorded.
    for pair in rows.windows(2) {
        assert!(
            pair[1].1 >= pair[0].2,
            "{} started before {} was recorded: {rows:?}",
            pair[1].0,
            pair[0].0
        );
    }
    // The slow migrations outlived the lease: the heartbeat held the lock.
    let slow = &rows[1];
    assert!(slow.2 - slow.1 > 1_000_000, "{rows:?}");
}

#[test]
fn a_migrator_killed_mid_migration_leaves_the_ledger_consistent() {
    let db = TempPostgres::start();
    let mut child = migrate(db.url(), &["up"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until 002 is sleeping inside its transaction, then kill -9.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let sleeping: i64 = block_on(async {
            let mut conn = PgConnection::connect(db.url()).await.unwrap();
            checked_query::sqlx::query(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(1.5)%' AND pid <> pg_backend_pid()",
            )
            .fetch_one(&mut conn)
            .await
            .unwrap()
            .get(0)
        });
        if sleeping > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "002 never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let rows = ledger(db.url());
    assert_eq!(
        rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        ["001_create_jobs"],
        "002 was killed before it committed: {rows:?}"
    );
    // The dead holder's lease expires; the next run takes the lock and finishes.
    let out = run(db.url(), &["up"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(text(&out).trim(), "applied 3 migration(s)");
    let status = run(db.url(), &["status"]);
    assert!(status.status.success(), "{}", text(&status));
    assert_eq!(
        String::from_utf8_lossy(&status.stdout)
            .lines()
            .filter(|l| l.starts_with("applied "))
            .count(),
        4,
        "{}",
        text(&status)
    );
}

#[test]
fn concurrently_runs_outside_a_transaction_and_down_reverts() {
    let db = TempPostgres::start();
    let out = run(db.url(), &["up"]);
    assert!(out.status.success(), "{}", text(&out));
    let index_exists = |url: &str| -> bool {
        block_on(async {
            let mut conn = PgConnection::connect(url).await.unwrap();
            checked_query::sqlx::query("SELECT to_regclass('idx_jobs_name') IS NOT NULL")
                .fetch_one(&mut conn)
                .await
                .unwrap()
                .get(0)
        })
    };
    assert!(index_exists(db.url()));
    let out = run(db.url(), &["down", "--steps", "2"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(text(&out).trim(), "reverted 2 migration(s)");
    assert!(!index_exists(db.url()), "DOWN of 003 dropped the index");
    let status = String::from_utf8_lossy(&run(db.url(), &["status"]).stdout).to_string();
    assert_eq!(
        status.lines().collect::<Vec<_>>(),
        [
            "applied  001_create_jobs",
            "applied  002_slow_backfill",
            "pending  003_index_jobs_name",
            "pending  004_slow_again",
        ]
    );
}

#[test]
fn a_dirty_migration_blocks_later_runs_with_how_to_recover() {
    let db = TempPostgres::start();
    assert!(run(db.url(), &["up"]).status.success());
    sql(
        db.url(),
        "UPDATE checked_query_migrations SET dirty = true WHERE name = '003_index_jobs_name'",
    );
    let out = run(db.url(), &["up"]);
    assert!(!out.status.success());
    let message = text(&out);
    assert!(
        message.contains("003_index_jobs_name ran outside a transaction"),
        "{message}"
    );
    assert!(message.contains("SET dirty = false"), "{message}");
}

#[test]
fn a_modified_applied_migration_stops_everything() {
    let db = TempPostgres::start();
    assert!(run(db.url(), &["up"]).status.success());
    sql(
        db.url(),
        "UPDATE checked_query_migrations SET checksum = 'edited' WHERE name = '002_slow_backfill'",
    );
    let out = run(db.url(), &["down"]);
    assert!(!out.status.success());
    let message = text(&out);
    assert!(
        message.contains("002_slow_backfill was modified after it was applied"),
        "{message}"
    );
    assert_eq!(ledger(db.url()).len(), 4, "nothing ran");
}

#[test]
fn migrations_with_errors_never_run() {
    let dir = std::env::temp_dir().join(format!("cq-broken-{}", std::process::id()));
    let migrations = dir.join("migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    std::fs::write(
        migrations.join("001_create_things.sql"),
        "-- +migrate Up\nCREATE TABLE things (id UUID PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL);\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_checked-query"))
        .args([
            "migrate",
            "up",
            "--database-url",
            "postgres://127.0.0.1:1/none",
            "--migrations",
        ])
        .arg(&migrations)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!out.status.success());
    let message = text(&out);
    assert!(
        message.contains("missing-down") || message.contains("DOWN"),
        "{message}"
    );
    assert!(message.contains("nothing ran"), "{message}");
}

#[test]
fn a_live_lease_is_waited_for_and_an_expired_one_taken_over() {
    let db = TempPostgres::start();
    assert!(
        run(db.url(), &["status"]).status.success(),
        "creates the ledger and lock table"
    );
    // Another migrator holds the lock for 2 more seconds and then vanishes without releasing.
    sql(
        db.url(),
        "INSERT INTO checked_query_migration_lock (id, owner, expires_at) VALUES (1, 'elsewhere', clock_timestamp() + interval '2 seconds')",
    );
    let expires: i64 = block_on(async {
        let mut conn = PgConnection::connect(db.url()).await.unwrap();
        checked_query::sqlx::query(
            "SELECT (extract(epoch FROM expires_at) * 1e6)::int8 FROM checked_query_migration_lock",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap()
        .get(0)
    });
    let out = run(db.url(), &["up"]);
    assert!(out.status.success(), "{}", text(&out));
    let rows = ledger(db.url());
    assert_eq!(rows.len(), 4);
    assert!(
        rows[0].1 >= expires,
        "001 started before the other migrator's lease expired: {rows:?}"
    );
}

/// The from-sqlx fixture's first `n` migrations (both files of each pair) in a directory of
/// their own: the history as `sqlx::migrate!` knew it before the switch.
fn sqlx_history(n: usize) -> TempDir {
    let all = from_sqlx();
    let dir = TempDir::new("from-sqlx");
    let mut names: Vec<_> = std::fs::read_dir(&all)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    for name in names.iter().take(2 * n) {
        std::fs::copy(all.join(name), dir.path().join(name)).unwrap();
    }
    dir
}

/// Applies a history with sqlx 0.9's own migrator, as a service did before the switch.
fn apply_with_sqlx(url: &str, dir: &Path) {
    block_on(async {
        let mut conn = PgConnection::connect(url).await.unwrap();
        let migrator = sqlx::migrate::Migrator::new(dir).await.unwrap();
        migrator.run(&mut conn).await.unwrap();
    });
}

fn from_sqlx() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/from-sqlx/migrations")
}

#[test]
fn a_history_applied_by_sqlx_is_taken_over_and_nothing_runs_twice() {
    let db = TempPostgres::start();
    let before = sqlx_history(2);
    apply_with_sqlx(db.url(), before.path());

    // Before the switch: sqlx's ledger is what is applied.
    let out = migrate_in(&from_sqlx(), db.url(), &["status"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .collect::<Vec<_>>(),
        [
            "applied  20240101000000_create_notes",
            "applied  20240102000000_add_note_title",
            "pending  20240103000000_create_tags",
        ]
    );
    // One `up`: the two sqlx applied are recorded, not run again (CREATE TABLE notes would
    // fail), and only the new one runs.
    let out = migrate_in(&from_sqlx(), db.url(), &["up"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "applied 1 migration(s)"
    );
    let names: Vec<String> = ledger(db.url()).into_iter().map(|r| r.0).collect();
    assert_eq!(
        names,
        [
            "20240101000000_create_notes",
            "20240102000000_add_note_title",
            "20240103000000_create_tags"
        ]
    );
    // From now on our ledger alone counts; sqlx's is left as it was.
    let out = migrate_in(&from_sqlx(), db.url(), &["up"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "applied 0 migration(s)"
    );
    sql(
        db.url(),
        "INSERT INTO tags (note_id, label) SELECT id, 'x' FROM notes",
    );
    let sqlx_rows: i64 = block_on(async {
        let mut conn = PgConnection::connect(db.url()).await.unwrap();
        checked_query::sqlx::query("SELECT count(*) FROM _sqlx_migrations")
            .fetch_one(&mut conn)
            .await
            .unwrap()
            .get(0)
    });
    assert_eq!(sqlx_rows, 2);
    // And a migration sqlx applied can be reverted by checked-query.
    let out = migrate_in(&from_sqlx(), db.url(), &["down", "--steps", "3"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(ledger(db.url()).is_empty());
}

#[test]
fn a_modified_failed_or_unknown_sqlx_migration_stops_the_takeover() {
    let cases: [(&str, &str); 3] = [
        (
            "UPDATE _sqlx_migrations SET checksum = '\\x00' WHERE version = 20240102000000",
            "20240102000000_add_note_title was modified after it was applied",
        ),
        (
            "UPDATE _sqlx_migrations SET success = false WHERE version = 20240102000000",
            "records migration 20240102000000 (add note title) as failed",
        ),
        (
            "UPDATE _sqlx_migrations SET version = 20231231000000 WHERE version = 20240102000000",
            "the database has migration 20231231000000 (add note title, recorded in _sqlx_migrations) applied, which this service does not have",
        ),
    ];
    for (edit, expected) in cases {
        let db = TempPostgres::start();
        let before = sqlx_history(2);
        apply_with_sqlx(db.url(), before.path());
        sql(db.url(), edit);
        for action in ["status", "up"] {
            let out = migrate_in(&from_sqlx(), db.url(), &[action])
                .output()
                .unwrap();
            assert!(!out.status.success(), "{action} after {edit}");
            let message = text(&out);
            assert!(
                message.contains(expected),
                "{action} after {edit}: {message}"
            );
        }
        assert!(ledger(db.url()).is_empty(), "nothing recorded after {edit}");
    }
}
