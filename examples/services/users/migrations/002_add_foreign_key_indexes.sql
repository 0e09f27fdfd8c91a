-- The seed indexes foreign keys only partially (`idx_sessions_user_id` is partial, so it
-- cannot serve the FK's own lookups); these full indexes cover them.
-- +migrate Up
CREATE INDEX idx_sessions_user_id_fk ON sessions (user_id);
CREATE INDEX idx_oauth_connections_user_id ON oauth_connections (user_id);

-- +migrate Down
DROP INDEX idx_oauth_connections_user_id;
DROP INDEX idx_sessions_user_id_fk;
