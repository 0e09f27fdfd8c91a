#!/usr/bin/env bash
# Regenerates checker/src/builtins/pg_operator.tsv: PostgreSQL 15's binary operators
# (`pg_catalog` rows of `pg_operator`) other than comparisons, which the checker resolves by
# type category. The hand-written table (operators.rs) comes first; these rows add the
# operators it lacks, with results that may be NULL.
#
#   scripts/gen-operator-catalog.sh 'host=/tmp/pg port=5432 user=postgres' > checker/src/builtins/pg_operator.tsv
#
# Format: `symbol<TAB>left type<TAB>right type<TAB>result type`; the loader skips rows with
# types the checker does not model.
set -euo pipefail
conn=${1:?usage: $0 'libpq connection string'}
psql "$conn" -X -At -F $'\t' -v ON_ERROR_STOP=1 <<'SQL'
SELECT o.oprname, format_type(o.oprleft, NULL), format_type(o.oprright, NULL),
       format_type(o.oprresult, NULL)
FROM pg_operator o
JOIN pg_namespace n ON n.oid = o.oprnamespace
WHERE n.nspname = 'pg_catalog'
  AND o.oprleft <> 0
  AND o.oprname NOT IN ('=', '<>', '<', '>', '<=', '>=')
ORDER BY 1, 2, 3;
SQL
