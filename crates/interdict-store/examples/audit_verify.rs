//! How long `audit verify` takes over a long trail: writes N chained records straight into
//! a fresh store (in one transaction, as a bulk load, not one append at a time), then walks
//! the chain through the store and times it.
//!
//!     cargo run --release -p interdict-store --example audit_verify -- /tmp/audit.db 10000000

use std::time::Instant;

use interdict_store::{SqliteStore, Store, record_hash};
use sqlx::{Connection, QueryBuilder, Sqlite, SqliteConnection};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: audit_verify DB N")?;
    let n: i64 = args.next().ok_or("usage: audit_verify DB N")?.parse()?;
    let _ = std::fs::remove_file(&path);
    // Opening creates the schema.
    drop(SqliteStore::open(&path).await?);

    let started = Instant::now();
    let mut conn = SqliteConnection::connect(&format!("sqlite://{path}")).await?;
    let mut tx = conn.begin().await?;
    let mut prev = [0u8; 32];
    let mut seq = 1;
    while seq <= n {
        let upto = (seq + 3_999).min(n);
        let mut rows = Vec::new();
        for s in seq..=upto {
            let at = "2026-11-22T12:00:00Z";
            let subject = format!("case-{}", s % 10_007);
            let detail = format!("{{\"note\":{s},\"why\":\"review of the file\"}}");
            let hash = record_hash(&prev, s, [at, "analyst-7", "case.read", &subject, &detail]);
            rows.push((s, at, subject, detail, prev, hash));
            prev = hash;
        }
        let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) ",
        );
        insert.push_values(&rows, |mut b, r| {
            b.push_bind(r.0)
                .push_bind(r.1)
                .push_bind("analyst-7")
                .push_bind("case.read")
                .push_bind(&r.2)
                .push_bind(&r.3)
                .push_bind(&r.4[..])
                .push_bind(&r.5[..]);
        });
        insert.build().execute(&mut *tx).await?;
        seq = upto + 1;
    }
    tx.commit().await?;
    conn.close().await?;
    println!(
        "wrote {n} records in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let store = SqliteStore::open(&path).await?;
    let started = Instant::now();
    let check = store.audit_verify().await?;
    println!(
        "verified {} records in {:.1} s, broken: {:?}",
        check.records,
        started.elapsed().as_secs_f64(),
        check.broken
    );
    Ok(())
}
