-- The seed's auth tables, kept faithful to the seed (TEXT ids, `email_verified`).
-- +migrate Up
-- checked-query: allow(uuid-primary-key, column-naming) the seed's users table: TEXT ids and `email_verified`, kept as the seed defines them
CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    email_verified BOOLEAN NOT NULL DEFAULT FALSE,
    status         TEXT NOT NULL DEFAULT 'active',
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- checked-query: allow(required-columns) the seed keys passwords by user_id (one row per user), with no id of their own
CREATE TABLE user_passwords (
    user_id       TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- checked-query: allow(uuid-primary-key) the seed's TEXT ids
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ip_address   TEXT,
    device_label TEXT,
    revoked_at   TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- checked-query: allow(uuid-primary-key) the seed's TEXT ids
CREATE TABLE auth_codes (
    id         TEXT PRIMARY KEY,
    email      TEXT NOT NULL,
    code       TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- checked-query: allow(required-columns) the seed keys roles by (user_id, role)
CREATE TABLE user_roles (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, role)
);

-- checked-query: allow(uuid-primary-key) the seed's TEXT ids
CREATE TABLE oauth_connections (
    id               TEXT PRIMARY KEY,
    user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider         TEXT NOT NULL,
    provider_user_id TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (provider, provider_user_id)
);

CREATE INDEX idx_auth_codes_email_purpose ON auth_codes (email, purpose) WHERE used_at IS NULL;
CREATE INDEX idx_sessions_user_id ON sessions (user_id) WHERE revoked_at IS NULL;

-- +migrate Down
DROP TABLE oauth_connections;
DROP TABLE user_roles;
DROP TABLE auth_codes;
DROP TABLE sessions;
DROP TABLE user_passwords;
DROP TABLE users;
