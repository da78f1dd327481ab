-- The audit trail: every state change, appended in the same transaction as the change, each
-- record carrying the SHA-256 of the one before (`prev_hash`) and of itself (`hash`, over
-- the previous hash, its number and its fields). `interdict audit verify` walks the chain.
-- The triggers refuse updates and deletes through SQL; an edit of the file itself, or one
-- made after dropping them, is what the chain catches.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,  -- 1, 2, 3, … with no gaps
    at        TEXT NOT NULL,        -- RFC 3339, UTC
    actor     TEXT NOT NULL,        -- who: a user, or the process acting for one
    action    TEXT NOT NULL,        -- what: `list.ingest`, `suppression.add`, …
    subject   TEXT NOT NULL,        -- on what: a list version, a customer and entity, …
    detail    TEXT NOT NULL,        -- JSON
    prev_hash BLOB NOT NULL,
    hash      BLOB NOT NULL
);

CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
