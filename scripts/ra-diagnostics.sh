#!/usr/bin/env bash
# rust-analyzer's view of queries that do not check: runs `rust-analyzer diagnostics` over
# ui-tests/ra-fixture (wrong queries used as working ones are: fetched, awaited, fields
# read, into a struct, as a scalar, executed) and asserts that it reports each query's own
# error and nothing else: no E0599/E0282/E0308/E0609 on the code using the failed query.
#
#   scripts/ra-diagnostics.sh [--timings] [RUST_ANALYZER]
#
# --timings also prints the macro's own time per expansion inside rust-analyzer's
# proc-macro server (the macro appends each to $CHECKED_QUERY_TIMINGS): the first
# expansion is cold (the catalog built), the rest warm. src/right.rs holds forty queries
# that check, each its own SQL, for that (and rust-analyzer must report nothing there).
#
# RUST_ANALYZER defaults to `rust-analyzer` on PATH. To get one:
#   rustup component add rust-analyzer          (the toolchain's, with its proc-macro server)
# or build a pinned one:
#   cargo +nightly install ra_ap_rust-analyzer@0.0.349 --locked
# Its proc-macro server must match the rustc that builds the macros (the rustup component's
# does). The first run builds the fixture's dependencies (a few minutes).
set -euo pipefail
cd "$(dirname "$0")/.."

timings=""
if [ "${1:-}" = "--timings" ]; then
  timings=$(mktemp)
  shift
fi
ra="${1:-rust-analyzer}"
if ! "$ra" --version >/dev/null 2>&1; then
  echo "no rust-analyzer at '$ra': rustup component add rust-analyzer, or pass its path" >&2
  exit 2
fi
fixture=ui-tests/ra-fixture
# The fixture is outside the workspace; it resolves the workspace's pinned versions.
cp Cargo.lock "$fixture/Cargo.lock"
trap 'rm -f "$fixture/Cargo.lock"' EXIT

# One wrong query per `checked_query` call in the fixture's functions marked `// wrong`.
expected=$(grep -c '// wrong' "$fixture/src/lib.rs")
out=$(mktemp)
trap 'rm -f "$fixture/Cargo.lock" "$out" ${timings:+"$timings"}' EXIT
# rust-analyzer exits 1 when it finds any error, which here is expected. Its proc-macro
# server inherits the environment, so the macro sees CHECKED_QUERY_TIMINGS.
if [ -n "$timings" ]; then export CHECKED_QUERY_TIMINGS="$timings"; fi
"$ra" diagnostics "$fixture" 2>/dev/null | tr '\r' '\n' | grep 'at crate ra_fixture,' \
  | sed 's/.*at crate ra_fixture, file [^:]*: //' >"$out" || true
echo "rust-analyzer $("$ra" --version | cut -d' ' -f2-) on $fixture:"
cat "$out"

ours=$(grep -c '^Error Ra("macro-error", Error) .*\[CQ[0-9]\{4\}\]$' "$out" || true)
others=$(grep -v '^Error Ra("macro-error", Error) .*\[CQ[0-9]\{4\}\]$' "$out" || true)
if [ -n "$others" ]; then
  echo "FAIL: diagnostics that are not a query's own error:" >&2
  echo "$others" >&2
  exit 1
fi
if [ "$ours" -ne "$expected" ]; then
  echo "FAIL: $ours query errors, expected $expected (one per '// wrong' line)" >&2
  exit 1
fi
echo "ok: $ours query errors, one per wrong query, and nothing else"
if [ -n "$timings" ]; then
  # One line per expansion, in microseconds, in the order the server ran them.
  cold=$(head -n 1 "$timings")
  tail -n +2 "$timings" | sort -n | awk -v cold="$cold" '{ warm[++n] = $1 }
    END {
      if (n == 0) { print "no warm expansions recorded"; exit 1 }
      p90 = int(n * 0.9); if (p90 < 1) p90 = 1
      printf "macro time in the proc-macro server: %d expansions; cold (first) %.2f ms; warm median %.3f ms, p90 %.3f ms, max %.3f ms\n",
        n + 1, cold / 1000, warm[int((n + 1) / 2)] / 1000, warm[p90] / 1000, warm[n] / 1000
    }'
fi
