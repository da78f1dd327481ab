-- Freeze (blocking) orders on property: an account, a wallet, a vessel, an aircraft, real
-- property. A freeze is proposed, then approved or rejected by someone else; a blocked one
-- is unblocked only on a recorded reason, proposed and approved likewise. `state` moves
-- only by compare-and-set (`UPDATE … WHERE state = ?`), so two deciders cannot both win.
CREATE TABLE freezes (
    id                  TEXT PRIMARY KEY,       -- frz-1, frz-2, …
    seq                 INTEGER NOT NULL UNIQUE,
    asset_kind          TEXT NOT NULL,          -- account | wallet | vessel | aircraft | real-property
    asset               TEXT NOT NULL,          -- account number or IBAN, address, IMO, tail number, parcel
    description         TEXT NOT NULL,
    holder_id           TEXT,                   -- the stored entity holding it, if any
    holder_name         TEXT NOT NULL,
    basis               TEXT NOT NULL,          -- the legal basis: designation, program, 50% path
    program             TEXT NOT NULL,          -- e.g. SDNTK, ILLICIT-DRUGS
    value               TEXT NOT NULL,          -- exact decimal
    currency            TEXT NOT NULL,
    location            TEXT NOT NULL,
    institution         TEXT NOT NULL,          -- who holds the property
    state               TEXT NOT NULL,          -- proposed | rejected | blocked | unblock-proposed | unblocked
    proposed_by         TEXT NOT NULL,
    proposed_at         TEXT NOT NULL,
    decided_by          TEXT,
    decided_at          TEXT,
    unblock_reason      TEXT,
    unblock_proposed_by TEXT,
    unblock_proposed_at TEXT,
    unblocked_by        TEXT,
    unblocked_at        TEXT
);
CREATE INDEX freezes_state ON freezes (state);
