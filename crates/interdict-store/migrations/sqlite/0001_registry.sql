-- The designations registry: list versions and the entities they hold.
--
-- Entities are stored as states: all the statements one dataset makes about one
-- entity, content-addressed, so a state unchanged between two versions is kept
-- once. A version lists the state of each of its entities. Statement-level
-- provenance (first and last seen) is derived from that history when read.

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

-- The newest version of each dataset: what the registry says now.
CREATE VIEW current_versions AS
SELECT v.* FROM list_versions v
WHERE v.version = (SELECT MAX(w.version) FROM list_versions w WHERE w.dataset = v.dataset);

-- What one dataset says about one entity, at some version.
-- (A rowid table: its rows are large, which WITHOUT ROWID tables store poorly.)
CREATE TABLE entity_states (
    id          INTEGER PRIMARY KEY,
    hash        BLOB NOT NULL UNIQUE,  -- 16 bytes of SHA-256 over dataset, entity, schema, statements
    dataset     TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    schema      TEXT NOT NULL,
    -- JSON array of [prop, prop_type, value, source_id or null, label], sorted by prop and value.
    statements  TEXT NOT NULL
);

-- Which state of each entity a version holds.
CREATE TABLE version_entities (
    version_id  INTEGER NOT NULL REFERENCES list_versions (id),
    entity_id   TEXT NOT NULL,
    -- The state's schema, repeated here so counts need not read the states themselves.
    schema      TEXT NOT NULL,
    state       BLOB NOT NULL REFERENCES entity_states (hash),
    PRIMARY KEY (version_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX version_entities_entity ON version_entities (entity_id);

-- Entity-valued statements, so links can be followed backwards (who sanctions, holds, names X).
CREATE TABLE entity_refs (
    version_id  INTEGER NOT NULL REFERENCES list_versions (id),
    target      TEXT NOT NULL,
    source      TEXT NOT NULL
);
CREATE INDEX entity_refs_target ON entity_refs (target);
