-- Decided false positives: this listed entity is not this customer, so screening that
-- customer does not raise it again. One decision per (customer, entity).
CREATE TABLE suppressions (
    customer_id TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    decided_by  TEXT NOT NULL,
    decided_at  TEXT NOT NULL, -- RFC 3339, UTC
    PRIMARY KEY (customer_id, entity_id)
) WITHOUT ROWID;
