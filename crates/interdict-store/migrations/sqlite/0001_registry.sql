-- The designations registry: list versions and the statements they hold.

-- One row per ingested version of a list (a dataset such as ofac-sdn).
CREATE TABLE list_versions (
    id              INTEGER PRIMARY KEY,
    dataset         TEXT NOT NULL,
    -- ISO date of the list version; versions of a dataset are ordered by it.
    version         TEXT NOT NULL,
    content_hash    TEXT NOT NULL,
    entity_count    INTEGER NOT NULL,
    statement_count INTEGER NOT NULL,
    warning_count   INTEGER NOT NULL,
    files           TEXT NOT NULL,     -- JSON list of input file names
    ingested_at     TEXT NOT NULL,     -- RFC 3339, UTC
    UNIQUE (dataset, version),
    UNIQUE (dataset, content_hash)
);

-- Every distinct statement ever seen. A statement is in the current version of
-- its dataset exactly when last_seen equals that version's date.
CREATE TABLE statements (
    id          BLOB PRIMARY KEY,      -- 16 bytes: hash of dataset, entity, schema, prop, value
    dataset     TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    schema      TEXT NOT NULL,
    prop        TEXT NOT NULL,
    prop_type   TEXT NOT NULL,
    value       TEXT NOT NULL,
    source_id   TEXT,
    label       TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX statements_entity ON statements (entity_id);
CREATE INDEX statements_reference ON statements (value) WHERE prop_type = 'entity';

-- Which statements each version holds, for diffs between any two versions.
CREATE TABLE version_statements (
    version_id   INTEGER NOT NULL REFERENCES list_versions (id),
    statement_id BLOB NOT NULL,
    PRIMARY KEY (version_id, statement_id)
) WITHOUT ROWID;

-- The statements of the newest version of each dataset: what the registry says now.
CREATE VIEW current_statements AS
SELECT s.*
FROM statements s
JOIN (SELECT dataset, MAX(version) AS version FROM list_versions GROUP BY dataset) c
  ON s.dataset = c.dataset AND s.last_seen = c.version;
