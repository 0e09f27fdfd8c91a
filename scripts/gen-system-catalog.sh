#!/usr/bin/env bash
# Regenerates checker/src/builtins/system_catalog.tsv: the relations of PostgreSQL's own
# schemas (`pg_catalog` tables and views, `information_schema` views) with their columns, as
# a PostgreSQL 15 server describes them. Queries read them as a read-only built-in catalog.
#
#   scripts/gen-system-catalog.sh 'host=/tmp/pg port=5432 user=postgres' > checker/src/builtins/system_catalog.tsv
#
# Format: a relation line `schema.name<TAB>table|view`, then one line per column,
# `<TAB>name<TAB>format_type<TAB>not null|null`, in attnum order.
set -euo pipefail
conn=${1:?usage: $0 'libpq connection string'}
psql "$conn" -X -At -F $'\t' -v ON_ERROR_STOP=1 <<'SQL'
SELECT CASE WHEN a.attnum = 1 THEN n.nspname || '.' || c.relname || E'\t' ||
            CASE c.relkind WHEN 'r' THEN 'table' ELSE 'view' END || E'\n' ELSE '' END
       || E'\t' || a.attname || E'\t' || format_type(a.atttypid, a.atttypmod) || E'\t'
       || CASE WHEN a.attnotnull THEN 'not null' ELSE 'null' END
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname IN ('pg_catalog', 'information_schema') AND c.relkind IN ('r', 'v', 'm')
ORDER BY n.nspname, c.relname, a.attnum;
SQL
