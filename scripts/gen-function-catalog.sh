#!/usr/bin/env bash
# Regenerates checker/src/builtins/pg_proc.tsv: PostgreSQL 15's own functions, aggregates
# and window functions (`pg_catalog` rows of `pg_proc`), as a PostgreSQL 15 server lists
# them. The checker's hand-written table (functions.rs) comes first; these rows add the
# overloads and functions it lacks, with results that may be NULL.
#
#   scripts/gen-function-catalog.sh 'host=/tmp/pg port=5432 user=postgres' > checker/src/builtins/pg_proc.tsv
#
# Format: `name<TAB>kind (f|a|w)<TAB>set-returning (t|f)<TAB>variadic (t|f)<TAB>how many
# trailing arguments have defaults<TAB>result type<TAB>argument types separated by ';'<TAB>the
# input arguments' names separated by ';' (empty when they have none)` (a variadic
# function's last argument is its element type). Left out: internal names
# (`_…`), ordered-set and hypothetical-set aggregates; the loader skips rows with types
# the checker does not model.
set -euo pipefail
conn=${1:?usage: $0 'libpq connection string'}
psql "$conn" -X -At -F $'\t' -v ON_ERROR_STOP=1 <<'SQL'
SELECT p.proname, p.prokind, CASE WHEN p.proretset THEN 't' ELSE 'f' END,
       CASE WHEN p.provariadic <> 0 THEN 't' ELSE 'f' END,
       p.pronargdefaults,
       format_type(p.prorettype, NULL),
       array_to_string(ARRAY(
           SELECT CASE WHEN p.provariadic <> 0 AND u.i = p.pronargs
                       THEN format_type(p.provariadic, NULL) ELSE format_type(u.t, NULL) END
           FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS u(t, i) ORDER BY u.i), ';'),
       -- proargnames lists every argument, OUT ones too, when proargmodes is set.
       coalesce(array_to_string(ARRAY(
           SELECT coalesce(u.name, '')
           FROM unnest(p.proargnames) WITH ORDINALITY AS u(name, i)
           WHERE p.proargmodes IS NULL OR p.proargmodes[u.i] IN ('i', 'b', 'v')
           ORDER BY u.i), ';'), '')
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'pg_catalog'
  AND p.prokind IN ('f', 'a', 'w')
  AND p.proname !~ '^_'
  AND NOT EXISTS (SELECT 1 FROM pg_aggregate a WHERE a.aggfnoid = p.oid AND a.aggkind <> 'n')
ORDER BY 1, 7, 6;
SQL
