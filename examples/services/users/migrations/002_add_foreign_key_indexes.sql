-- The seed indexes foreign keys only partially (`idx_sessions_user_id` is partial, so it
-- cannot serve the FK's own lookups); these full indexes cover them.
-- +migrate Up
-- CONCURRENTLY: the tables already exist; the migrator runs this migration outside a transaction.
CREATE INDEX CONCURRENTLY idx_sessions_user_id_fk ON sessions (user_id);
CREATE INDEX CONCURRENTLY idx_oauth_connections_user_id ON oauth_connections (user_id);

-- +migrate Down
DROP INDEX CONCURRENTLY IF EXISTS idx_oauth_connections_user_id;
DROP INDEX CONCURRENTLY IF EXISTS idx_sessions_user_id_fk;
