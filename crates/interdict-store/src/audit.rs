//! The audit trail: an append-only log of state changes, each record chained to the one
//! before by its hash, written in the same transaction as the change it records.
//!
//! A record's hash is SHA-256 over a domain tag, the previous record's hash (zeros for the
//! first), the record's number and each field length-prefixed, so no two records can be
//! made to hash alike by moving bytes between fields. Changing, removing or inserting a
//! record breaks the chain at that record, which [`verify`] reports.

use sha2::{Digest, Sha256};
use sqlx::{SqliteConnection, SqlitePool};

use crate::StoreError;
use crate::types::{AuditBreak, AuditCheck, AuditRecord, NewAudit};

/// The hash before the first record.
pub const GENESIS: [u8; 32] = [0; 32];

/// Records read per page while verifying or exporting.
const PAGE: i64 = 50_000;

/// The hash of one record.
pub fn record_hash(prev: &[u8; 32], seq: i64, fields: [&str; 5]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"interdict-audit-v1");
    hasher.update(prev);
    hasher.update(seq.to_be_bytes());
    for field in fields {
        hasher.update((field.len() as u64).to_be_bytes());
        hasher.update(field.as_bytes());
    }
    hasher.finalize().into()
}

/// Appends a record on `conn`, which should be inside the transaction making the change.
pub(crate) async fn append(
    conn: &mut SqliteConnection,
    actor: &str,
    entry: &NewAudit,
    at: &str,
) -> Result<AuditRecord, StoreError> {
    for (field, value) in [("actor", actor), ("action", entry.action.as_str())] {
        if value.trim().is_empty() {
            return Err(StoreError::Invalid(format!(
                "audit record: {field} is empty"
            )));
        }
    }
    let last: Option<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, to_hash(&hash, seq)?),
        None => (1, GENESIS),
    };
    let detail = entry.detail.to_string();
    let fields = [at, actor, &entry.action, &entry.subject, &detail];
    let hash = record_hash(&prev, seq, fields);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(seq)
    .bind(at)
    .bind(actor)
    .bind(&entry.action)
    .bind(&entry.subject)
    .bind(&detail)
    .bind(&prev[..])
    .bind(&hash[..])
    .execute(&mut *conn)
    .await?;
    Ok(AuditRecord {
        seq,
        at: at.to_string(),
        actor: actor.to_string(),
        action: entry.action.clone(),
        subject: entry.subject.clone(),
        detail,
        prev_hash: hex::encode(prev),
        hash: hex::encode(hash),
    })
}

/// Each record after `after`, oldest first, a page at a time.
pub(crate) async fn each(
    pool: &SqlitePool,
    after: i64,
    f: &mut (dyn FnMut(AuditRecord) -> Result<(), StoreError> + Send),
) -> Result<(), StoreError> {
    let mut next = after.saturating_add(1);
    loop {
        let rows = page(pool, next).await?;
        let Some(last) = rows.last().map(|r| r.0) else {
            return Ok(());
        };
        for (seq, at, actor, action, subject, detail, prev_hash, hash) in rows {
            f(AuditRecord {
                seq,
                at,
                actor,
                action,
                subject,
                detail,
                prev_hash,
                hash,
            })?;
        }
        next = last + 1;
    }
}

/// One page of records from number `from` on, hashes as lower-case hex. A page comes back
/// as one JSON row: handing rows one at a time across sqlx's worker thread cost more than
/// hashing them.
async fn page(pool: &SqlitePool, from: i64) -> Result<Vec<Raw>, StoreError> {
    let page: Option<String> = sqlx::query_scalar(
        "SELECT json_group_array(json_array(seq, at, actor, action, subject, detail, \
         lower(hex(prev_hash)), lower(hex(hash)))) FROM (SELECT * FROM audit_log \
         WHERE seq >= ? ORDER BY seq LIMIT ?)",
    )
    .bind(from)
    .bind(PAGE)
    .fetch_one(pool)
    .await?;
    match page {
        Some(page) => serde_json::from_str(&page)
            .map_err(|e| StoreError::Invalid(format!("audit page from {from}: {e}"))),
        None => Ok(Vec::new()),
    }
}

/// A record as a page holds it.
type Raw = (i64, String, String, String, String, String, String, String);

/// Walks the whole chain and reports the first record that breaks it. Reads the columns as
/// stored (hashes as bytes), a page at a time.
pub(crate) async fn verify(pool: &SqlitePool) -> Result<AuditCheck, StoreError> {
    let mut check = AuditCheck {
        records: 0,
        broken: None,
    };
    let mut prev = GENESIS;
    let mut expected = 1;
    loop {
        let rows = page(pool, expected).await?;
        if rows.is_empty() {
            return Ok(check);
        }
        for (seq, at, actor, action, subject, detail, stored_prev, stored) in rows {
            check.records += 1;
            let hashes = from_hex(&stored_prev, seq).and_then(|p| Ok((p, from_hex(&stored, seq)?)));
            let Ok((stored_prev, stored)) = hashes else {
                // A hash that is not 32 bytes was written by something other than the store.
                check.broken = Some(AuditBreak {
                    seq,
                    reason: "its hashes are not 32 bytes each".into(),
                });
                return Ok(check);
            };
            let reason = if seq != expected {
                Some(format!(
                    "record {expected} is missing: the next one is {seq}"
                ))
            } else if stored_prev != prev {
                Some(format!(
                    "its previous hash does not match record {}'s hash",
                    expected - 1
                ))
            } else if record_hash(&prev, seq, [&at, &actor, &action, &subject, &detail]) != stored {
                Some("its content does not match its hash".into())
            } else {
                None
            };
            if let Some(reason) = reason {
                check.broken = Some(AuditBreak { seq, reason });
                return Ok(check);
            }
            prev = stored;
            expected += 1;
        }
    }
}

fn to_hash(bytes: &[u8], seq: i64) -> Result<[u8; 32], StoreError> {
    bytes.try_into().map_err(|_| {
        StoreError::Invalid(format!(
            "audit record {seq}: a hash of {} bytes, not 32",
            bytes.len()
        ))
    })
}

fn from_hex(text: &str, seq: i64) -> Result<[u8; 32], StoreError> {
    let mut hash = [0u8; 32];
    hex::decode_to_slice(text, &mut hash)
        .map_err(|e| StoreError::Invalid(format!("audit record {seq}: hash {text:?}: {e}")))?;
    Ok(hash)
}
