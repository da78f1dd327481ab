-- Parties blocked without being listed (OFAC's 50% rule, or control in the EU/UK reading),
-- as last computed: the next computation is compared with it to report what changed.
CREATE TABLE derived_status (
    entity_id   TEXT NOT NULL PRIMARY KEY,
    basis       TEXT NOT NULL,   -- ownership | control
    held        TEXT NOT NULL,   -- percent held by blocked owners, exact decimal
    mode        TEXT NOT NULL,   -- ofac | eu_uk
    as_of       TEXT NOT NULL,   -- the date links were taken as in force
    computed_at TEXT NOT NULL    -- RFC 3339, UTC
) WITHOUT ROWID;
