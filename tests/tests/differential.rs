//! PostgreSQL is the judge. Every query of the corpus (handwritten in
//! `differential/corpus.sql`, plus cases generated from the function table and type
//! matrices) is prepared on a real PostgreSQL after applying the `shop` fixture migrations,
//! and analysed by the checker from the migration files alone. We assert:
//! - every query PostgreSQL rejects is rejected (no false accepts);
//! - every query PostgreSQL accepts is accepted, except the explained allowlist (≤ 5 %);
//! - parameter types, column names and column types equal PostgreSQL's;
//! - run on seeded rows (NULLs in every nullable column, outer-join misses), no column the
//!   checker calls non-null ever returns NULL.
//!
//! A table of agreement per construct is printed (`cargo test -- --nocapture` to see it).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use checked_query_checker::analysis::{
    all_functions, analyze_sql, operators, Analysis, KEYWORD_FUNCTIONS, ORDERED_SET,
};
use checked_query_checker::statements::split_statements;
use checked_query_tests::judge::{
    describe_on_postgres, null_columns, rejected_when_run, Described,
};
use checked_query_tests::{block_on, build_clean, TestDb};
// The judge's sqlx (0.8, see `judge`), for the seed rows.
use sqlx::{Connection, PgConnection};
use sqlx_describe as sqlx;

struct Case {
    id: String,
    construct: String,
    sql: String,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `# construct` lines name the construct of the queries that follow; every other
/// non-empty line not starting with `--` is one query.
fn handwritten() -> Vec<Case> {
    let text = std::fs::read_to_string(root().join("differential/corpus.sql")).unwrap();
    let mut construct = "misc".to_string();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for line in text.lines() {
        let l = line.trim();
        if let Some(c) = l.strip_prefix("# ") {
            construct = c.trim().to_string();
        } else if !l.is_empty() && !l.starts_with("--") {
            let n = counts.entry(construct.clone()).or_default();
            *n += 1;
            out.push(Case {
                id: format!("{construct}/{n}"),
                construct: construct.clone(),
                sql: l.to_string(),
            });
        }
    }
    out
}

/// A `samples` column of each type, for calling every overload of the function table.
fn sample_column(token: &str) -> Option<&'static str> {
    Some(match token {
        "smallint" => "si",
        "integer" | "anyelement" | "anycompatible" => "i",
        "bigint" => "bi",
        "numeric" => "n",
        "real" => "r",
        "double precision" => "d",
        "text" | "any" | "anynonarray" => "t",
        "character" => "c",
        "boolean" => "b",
        "uuid" => "u",
        "bytea" => "ba",
        "date" => "dt",
        "time without time zone" => "tm",
        "timestamp without time zone" => "ts",
        "timestamp with time zone" => "tstz",
        "interval" => "iv",
        "json" => "j",
        "jsonb" => "jb",
        "inet" => "ip",
        "text[]" => "ta",
        "anyarray" | "anycompatiblearray" => "ia",
        "anyenum" => "e",
        _ => return None,
    })
}

/// Arguments that must be particular values for the call to run (units, formats, divisors).
fn argument(name: &str, i: usize, token: &str) -> Option<String> {
    let special = match (name, i) {
        ("date_trunc" | "date_part", 0) => "'day'",
        ("date_trunc", 2) => "'UTC'",
        ("to_char", 1) => "'YYYY'",
        ("mod", 1) => "3",
        ("array_length", 1) => "1",
        ("jsonb_set", 1) => "'{a}'",
        ("make_interval", _) => "1",
        ("format", 0) => "'%s'",
        _ => return sample_column(token).map(str::to_string),
    };
    Some(special.to_string())
}

/// Functions the generated cases call and run: not those that act on the server, its
/// files, sessions or large objects, nor those that sleep.
fn runs_harmlessly(name: &str) -> bool {
    const SAFE_PG: &[&str] = &[
        "pg_typeof",
        "pg_column_size",
        "pg_size_pretty",
        "pg_size_bytes",
        "pg_backend_pid",
        "pg_is_in_recovery",
        "pg_postmaster_start_time",
        "pg_current_xact_id",
        "pg_get_serial_sequence",
        "pg_table_is_visible",
        "pg_type_is_visible",
        "pg_client_encoding",
        "pg_conf_load_time",
        "pg_trigger_depth",
    ];
    let acts_on_server = name.starts_with("pg_") && !SAFE_PG.contains(&name);
    let others = [
        "set_config",
        "setseed",
        "dblink",
        "txid_current_snapshot",
        "current_setting",
    ];
    !acts_on_server
        && !name.starts_with("lo_")
        && !others.contains(&name)
        && !name.contains("sleep")
}

fn generated() -> Vec<Case> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut seen_untyped = BTreeSet::new();
    for (k, f) in all_functions()
        .enumerate()
        .filter(|(_, f)| runs_harmlessly(f.name))
    {
        let args: Option<Vec<String>> = f
            .args
            .iter()
            .enumerate()
            .map(|(i, t)| argument(f.name, i, &t.to_string()))
            .collect();
        let Some(mut args) = args else { continue };
        if f.variadic {
            args.push(args.last().cloned().unwrap());
        }
        let call = if KEYWORD_FUNCTIONS.contains(&f.name) {
            f.name.to_string()
        } else if ORDERED_SET.contains(&f.name) {
            let ordered = args.pop().unwrap();
            format!(
                "{}({}) WITHIN GROUP (ORDER BY {ordered})",
                f.name,
                args.join(", ")
            )
        } else {
            format!("{}({})", f.name, args.join(", "))
        };
        let over = if format!("{:?}", f.kind) == "Window" {
            " OVER (ORDER BY id)"
        } else {
            ""
        };
        let sql = format!("SELECT {call}{over} FROM samples");
        out.push(Case {
            id: format!("functions/{k}-{}", f.name),
            construct: "functions".into(),
            sql,
        });
        // One call no overload takes: a uuid where the function wants something else.
        if seen.insert(f.name)
            && !f.args.is_empty()
            && !f.args.iter().any(|a| {
                matches!(
                    a.to_string().as_str(),
                    "any" | "anyelement" | "anycompatible" | "anynonarray" | "text" | "uuid"
                )
            })
        {
            let bad: Vec<&str> = f.args.iter().map(|_| "u").collect();
            let over = if over.is_empty() { "" } else { over };
            out.push(Case {
                id: format!("functions/bad-{}", f.name),
                construct: "functions".into(),
                sql: format!("SELECT {}({}){over} FROM samples", f.name, bad.join(", ")),
            });
        }
        // Every argument an untyped parameter: PostgreSQL's rules for unknown arguments
        // (string category first, then one category's preferred type) decide, or it is
        // ambiguous. The parameter types must match too.
        let arity = f.args.len() + f.variadic as usize;
        if !KEYWORD_FUNCTIONS.contains(&f.name)
            && !ORDERED_SET.contains(&f.name)
            && seen_untyped.insert((f.name, arity))
        {
            let params: Vec<String> = (1..=arity).map(|i| format!("${i}")).collect();
            out.push(Case {
                id: format!("functions-untyped/{}-{arity}", f.name),
                construct: "functions-untyped".into(),
                sql: format!("SELECT {}({}){over} AS x", f.name, params.join(", ")),
            });
        }
    }
    // Every row of the operator table with columns of its operand types, and again with
    // the right operand an untyped parameter (oper_select_candidate's rules type it).
    let mut seen_param = BTreeSet::new();
    for (k, o) in operators().enumerate() {
        let sides: Option<Vec<&str>> = o
            .args
            .iter()
            .map(|t| sample_column(&t.to_string()))
            .collect();
        let Some(sides) = sides else { continue };
        let symbol = o.symbol;
        out.push(Case {
            id: format!("operators/{k}-{symbol}"),
            construct: "operators".into(),
            sql: format!(
                "SELECT {} {symbol} {} AS x FROM samples",
                sides[0], sides[1]
            ),
        });
        if seen_param.insert((symbol, sides[0])) {
            out.push(Case {
                id: format!("operators-untyped/{k}-{symbol}"),
                construct: "operators-untyped".into(),
                sql: format!("SELECT {} {symbol} $1 AS x FROM samples", sides[0]),
            });
        }
    }
    // Literals coerced to each column type: valid and invalid.
    let literals: &[(&str, &[&str], &[&str])] = &[
        ("i", &["42", " 7 ", "-3"], &["x", "4.5", "99999999999"]),
        ("si", &["12"], &["70000", "one"]),
        ("n", &["1.25", "-0.5", "NaN"], &["1,5", "abc"]),
        ("b", &["t", "yes", "off", "FALSE"], &["maybe", "2"]),
        (
            "u",
            &[
                "00000000-0000-0000-0000-000000000001",
                "{00000000000000000000000000000001}",
            ],
            &["42", "not-a-uuid"],
        ),
        (
            "dt",
            &["2024-02-29", "infinity", "today"],
            &["2023-02-29", "2024-13-01"],
        ),
        (
            "tstz",
            &["2024-01-31 12:00:00+00", "2024-01-31T12:00:00Z", "epoch"],
            &["2024-01-31 25:00", "noon"],
        ),
        ("ts", &["2024-01-31 12:00", "2024-01-31"], &["31.31.2024"]),
        (
            "iv",
            &["1 day", "2 hours 30 minutes", "P1D"],
            &["soon", "1 fortnight"],
        ),
        ("jb", &["{\"a\": 1}", "[1, 2]", "null"], &["{a: 1}", "[1,"]),
        (
            "ip",
            &["10.0.0.1", "::1", "10.0.0.0/8"],
            &["10.0.0.256", "host"],
        ),
        ("e", &["paid", "pending"], &["refund", "PAID"]),
        ("ia", &["{1,2}", "{}"], &["{a}", "1,2"]),
    ];
    for (col, good, bad) in literals {
        for (n, v) in good.iter().enumerate() {
            out.push(Case {
                id: format!("literals/{col}-ok{n}"),
                construct: "literals".into(),
                sql: format!("SELECT id FROM samples WHERE {col} = '{v}'"),
            });
        }
        for (n, v) in bad.iter().enumerate() {
            out.push(Case {
                id: format!("literals/{col}-bad{n}"),
                construct: "literals".into(),
                sql: format!("SELECT id FROM samples WHERE {col} = '{v}'"),
            });
        }
    }
    // Comparisons and arithmetic across column types.
    let cols = [
        "si", "i", "bi", "n", "r", "d", "t", "vc", "c", "b", "u", "dt", "ts", "tstz", "iv", "j",
        "jb", "e", "ia",
    ];
    for (x, a) in cols.iter().enumerate() {
        for b in cols.iter().skip(x).step_by(3) {
            out.push(Case {
                id: format!("operators/{a}={b}"),
                construct: "operators".into(),
                sql: format!("SELECT id FROM samples WHERE {a} = {b}"),
            });
        }
    }
    for (a, op, b) in [
        ("i", "+", "bi"),
        ("si", "*", "si"),
        ("n", "/", "i"),
        ("i", "/", "i"),
        ("r", "+", "n"),
        ("d", "-", "i"),
        ("i", "%", "bi"),
        ("dt", "-", "dt"),
        ("dt", "+", "i"),
        ("dt", "+", "iv"),
        ("ts", "-", "ts"),
        ("tstz", "+", "iv"),
        ("tstz", "-", "tstz"),
        ("iv", "*", "i"),
        ("t", "||", "t"),
        ("t", "||", "i"),
        ("vc", "||", "c"),
        ("ta", "||", "t"),
        ("ia", "||", "ia"),
        ("jb", "||", "jb"),
        ("t", "+", "i"),
        ("b", "+", "i"),
        ("u", "-", "u"),
        ("dt", "*", "i"),
        ("iv", "+", "dt"),
        ("tstz", "+", "tstz"),
    ] {
        out.push(Case {
            id: format!("operators/{a}{op}{b}"),
            construct: "operators".into(),
            sql: format!("SELECT {a} {op} {b} FROM samples"),
        });
    }
    out
}

#[derive(Default)]
struct Tally {
    total: usize,
    pg_ok: usize,
    pg_err: usize,
    agree: usize,
    false_accept: usize,
    false_reject: usize,
    type_diff: usize,
    at_execution: usize,
}

fn allowlist() -> BTreeMap<String, String> {
    std::fs::read_to_string(root().join("differential/allowlist.txt"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (id, why) = l.split_once(' ').unwrap_or((l, ""));
            (id.to_string(), why.trim().to_string())
        })
        .collect()
}

#[test]
fn postgres_is_the_judge() {
    let dir = root().join("fixtures/services/shop/migrations");
    let service = build_clean(&dir, "shop");
    let mut cases = handwritten();
    cases.extend(generated());
    let allow = allowlist();

    let db = TestDb::start();
    block_on(async {
        let mut conn = PgConnection::connect(db.url()).await.unwrap();
        for m in &service.migrations.migrations {
            let up = m.up.as_ref().unwrap();
            for stmt in split_statements(&up.file, up.range.clone()).unwrap() {
                sqlx::raw_sql(stmt.text())
                    .execute(&mut conn)
                    .await
                    .unwrap_or_else(|e| panic!("{}: {e}", m.name));
            }
        }
        sqlx::raw_sql(&std::fs::read_to_string(root().join("differential/seed.sql")).unwrap())
            .execute(&mut conn)
            .await
            .unwrap();

        let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
        let mut problems = Vec::new();
        let mut sqlstates = BTreeSet::new();
        let mut false_rejects = Vec::new();
        let mut exec_errors = 0;
        for case in &cases {
            let ours: Analysis = analyze_sql(service.context(), &case.sql);
            let theirs = describe_on_postgres(&mut conn, &case.sql).await;
            let t = tallies.entry(case.construct.clone()).or_default();
            t.total += 1;
            match (&theirs, ours.ok()) {
                (Err((state, msg)), true) => {
                    t.pg_err += 1;
                    t.false_accept += 1;
                    sqlstates.insert(state.clone());
                    problems.push(format!(
                        "FALSE ACCEPT {}: {}\n    PostgreSQL {state}: {msg}",
                        case.id, case.sql
                    ));
                }
                (Err((state, _)), false) => {
                    t.pg_err += 1;
                    t.agree += 1;
                    sqlstates.insert(state.clone());
                }
                (Ok(pg), false) if matches!(null_columns(&mut conn, &pg.params).await, Err((ref state, _)) if rejected_when_run(state)) =>
                {
                    // PREPARE does not plan: PostgreSQL rejects some queries (ON CONFLICT
                    // inference, NOT NULL columns left out, a literal too long for its
                    // column) only when they run.
                    t.pg_err += 1;
                    t.agree += 1;
                    t.at_execution += 1;
                }
                (Ok(_), false) => {
                    t.pg_ok += 1;
                    t.false_reject += 1;
                    let why = ours
                        .diagnostics
                        .first()
                        .map(|d| d.message.clone())
                        .unwrap_or_default();
                    if !allow.contains_key(&case.id) {
                        problems.push(format!(
                            "FALSE REJECT {}: {}\n    checker: {why}",
                            case.id, case.sql
                        ));
                    }
                    false_rejects.push(case.id.clone());
                }
                (Ok(pg), true) => {
                    t.pg_ok += 1;
                    let our = Described::of(&ours);
                    if our != *pg {
                        t.type_diff += 1;
                        problems.push(format!(
                            "DIFFERENT {}: {}\n    PostgreSQL: {pg:?}\n    checker:    {our:?}",
                            case.id, case.sql
                        ));
                        continue;
                    }
                    t.agree += 1;
                    match null_columns(&mut conn, &pg.params).await {
                        Ok(nulls) => {
                            for i in nulls {
                                if !ours.columns[i].nullable {
                                    problems.push(format!(
                                        "NULL IN NON-NULL COLUMN {} `{}`: {}",
                                        case.id, ours.columns[i].name, case.sql
                                    ));
                                }
                            }
                        }
                        Err(_) => exec_errors += 1,
                    }
                }
            }
            if allow.contains_key(&case.id) && !false_rejects.contains(&case.id) {
                problems.push(format!(
                    "STALE ALLOWLIST ENTRY {}: the checker and PostgreSQL agree now",
                    case.id
                ));
            }
        }

        println!(
            "\n{:<16} {:>6} {:>6} {:>6} {:>6} {:>8} {:>8} {:>6} {:>6}",
            "construct",
            "total",
            "pg-ok",
            "pg-err",
            "agree",
            "f-accept",
            "f-reject",
            "types",
            "run-err"
        );
        let mut sum = Tally::default();
        for (c, t) in &tallies {
            println!(
                "{c:<16} {:>6} {:>6} {:>6} {:>6} {:>8} {:>8} {:>6} {:>6}",
                t.total,
                t.pg_ok,
                t.pg_err,
                t.agree,
                t.false_accept,
                t.false_reject,
                t.type_diff,
                t.at_execution
            );
            sum.at_execution += t.at_execution;
            sum.total += t.total;
            sum.pg_ok += t.pg_ok;
            sum.pg_err += t.pg_err;
            sum.agree += t.agree;
            sum.false_accept += t.false_accept;
            sum.false_reject += t.false_reject;
            sum.type_diff += t.type_diff;
        }
        println!(
            "{:<16} {:>6} {:>6} {:>6} {:>6} {:>8} {:>8} {:>6} {:>6}",
            "all",
            sum.total,
            sum.pg_ok,
            sum.pg_err,
            sum.agree,
            sum.false_accept,
            sum.false_reject,
            sum.type_diff,
            sum.at_execution
        );
        println!("SQLSTATEs of rejected queries: {sqlstates:?}; queries whose execution failed (nullability not checked): {exec_errors}");

        assert!(
            problems.is_empty(),
            "{} problem(s):\n{}",
            problems.len(),
            problems.join("\n")
        );
        assert!(
            sum.total >= 400,
            "the corpus has {} queries; at least 400 are required",
            sum.total
        );
        assert!(
            sum.pg_err * 4 >= sum.total,
            "at least 25 % of the corpus must be invalid ({} of {})",
            sum.pg_err,
            sum.total
        );
        assert!(
            sqlstates.len() >= 8,
            "rejections span only {} SQLSTATEs",
            sqlstates.len()
        );
        assert!(
            false_rejects.len() * 20 <= sum.pg_ok,
            "allowlisted false rejects exceed 5 %: {false_rejects:?}"
        );
    });
}
