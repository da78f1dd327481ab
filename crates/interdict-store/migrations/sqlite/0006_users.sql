-- Users and the machines acting for them. Passwords and API tokens are stored only as hashes
-- (argon2 for passwords, SHA-256 for tokens, which are long random strings). `agency` is where
-- a user works: a task-force agency, an FIU, a bank; releasability will be decided by it.
CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('analyst', 'supervisor', 'administrator')),
    agency        TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE api_tokens (
    token_hash BLOB PRIMARY KEY,
    user_name  TEXT NOT NULL REFERENCES users (name),
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL
) WITHOUT ROWID;
