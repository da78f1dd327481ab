-- The customer base screened on every list change, what its last screening found, and the
-- alerts and cases that analysts work.

-- Customers as given (the record is JSON: name, schema, birth_date, country, id_number,
-- gender). `updated_seq` grows with every import that adds or changes a customer, so a
-- screening run knows which customers it has not yet seen as they are now.
CREATE TABLE customers (
    id          TEXT PRIMARY KEY,
    record      TEXT NOT NULL,
    record_hash BLOB NOT NULL,
    updated_seq INTEGER NOT NULL,
    updated_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX customers_updated ON customers (updated_seq);

-- One row per screening run: the customers it covered (`customers_upto`, an updated_seq).
CREATE TABLE screening_runs (
    id             INTEGER PRIMARY KEY,
    at             TEXT NOT NULL,
    actor          TEXT NOT NULL,
    customers_upto INTEGER NOT NULL,
    detail         TEXT NOT NULL
);

-- The listed parties as the last run screened them: a fingerprint of what screening reads
-- (names, dates, countries, identifiers), so the next run compares customers only with the
-- parties that are new or changed.
CREATE TABLE screened_entities (
    entity_id   TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL
) WITHOUT ROWID;

-- What the last run found, per customer and party.
CREATE TABLE screening_hits (
    customer_id TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    score       REAL NOT NULL,
    fingerprint TEXT NOT NULL, -- the party's, when found
    run_id      INTEGER NOT NULL,
    PRIMARY KEY (customer_id, entity_id)
) WITHOUT ROWID;

-- The alert inbox: screening and rescreening hits, derived-status changes, monitoring
-- alerts. `dedupe` keeps one alert per thing alerted on.
CREATE TABLE alerts (
    id          TEXT PRIMARY KEY,          -- alt-1, alt-2, …
    seq         INTEGER NOT NULL UNIQUE,
    source      TEXT NOT NULL,             -- screening | rescreening | derived | monitoring
    dedupe      TEXT NOT NULL UNIQUE,
    subject     TEXT NOT NULL,             -- customer id, account, entity id
    entity_id   TEXT,                      -- the designated or blocked party, if any
    score       REAL,
    severity    TEXT NOT NULL,             -- low | medium | high | critical
    summary     TEXT NOT NULL,
    detail      TEXT NOT NULL,             -- JSON evidence
    state       TEXT NOT NULL,             -- open | closed
    case_id     TEXT,
    resolution  TEXT,                      -- true-match | false-positive | not-actionable
    closed_by   TEXT,
    closed_at   TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX alerts_state ON alerts (state, seq);
CREATE INDEX alerts_case ON alerts (case_id);

-- Cases: investigations, tips and extradition / mutual-legal-assistance requests.
CREATE TABLE cases (
    id          TEXT PRIMARY KEY,          -- case-1, case-2, …
    seq         INTEGER NOT NULL UNIQUE,
    kind        TEXT NOT NULL,             -- investigation | tip | mla
    title       TEXT NOT NULL,
    state       TEXT NOT NULL,
    resolution  TEXT,
    assignee    TEXT,
    deadline    TEXT,                      -- YYYY-MM-DD
    detail      TEXT NOT NULL,             -- JSON, by kind
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX cases_state ON cases (state, seq);

-- What a case links to: alerts, entities, transactions, accounts, evidence documents.
CREATE TABLE case_links (
    case_id   TEXT NOT NULL REFERENCES cases (id),
    kind      TEXT NOT NULL,
    reference TEXT NOT NULL,
    note      TEXT NOT NULL,
    added_by  TEXT NOT NULL,
    added_at  TEXT NOT NULL,
    PRIMARY KEY (case_id, kind, reference)
) WITHOUT ROWID;

-- A case's timeline: states, assignments, notes, links, deadlines.
CREATE TABLE case_events (
    case_id TEXT NOT NULL REFERENCES cases (id),
    n       INTEGER NOT NULL,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    kind    TEXT NOT NULL,                 -- open | state | assign | note | link | deadline
    text    TEXT NOT NULL,
    PRIMARY KEY (case_id, n)
) WITHOUT ROWID;

-- A tip's submitter, kept apart from the case: read only on purpose, and every read audited.
CREATE TABLE tip_contacts (
    case_id TEXT PRIMARY KEY REFERENCES cases (id),
    contact TEXT NOT NULL
) WITHOUT ROWID;
