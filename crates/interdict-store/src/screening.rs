//! The stored customer base and what screening it last found, in SQLite.

use sha2::{Digest, Sha256};
use sqlx::{Row, SqliteConnection, SqlitePool};

use crate::StoreError;
use crate::audit;
use crate::cases;
use crate::types::{
    Customer, CustomerImport, Hit, NewAudit, ScreeningBaseline, ScreeningCommit, ScreeningRun,
    StoredCustomer,
};

/// Longest value a customer field takes.
const MAX_FIELD: usize = 1_000;

/// Customers read per page.
const PAGE: i64 = 20_000;

fn check(customer: &Customer, at: usize) -> Result<(), StoreError> {
    let fields = [
        ("id", Some(&customer.id)),
        ("name", Some(&customer.name)),
        ("schema", customer.schema.as_ref()),
        ("birth_date", customer.birth_date.as_ref()),
        ("country", customer.country.as_ref()),
        ("id_number", customer.id_number.as_ref()),
        ("gender", customer.gender.as_ref()),
    ];
    for (field, value) in fields {
        let Some(value) = value else { continue };
        if matches!(field, "id" | "name") && value.trim().is_empty() {
            return Err(StoreError::Invalid(format!(
                "customer {}: {field} is empty",
                at + 1
            )));
        }
        if value.len() > MAX_FIELD {
            return Err(StoreError::Invalid(format!(
                "customer {} ({}): {field} is {} bytes, over {MAX_FIELD}",
                at + 1,
                customer.id,
                value.len()
            )));
        }
    }
    Ok(())
}

pub(crate) async fn import(
    conn: &mut SqliteConnection,
    actor: &str,
    customers: &[Customer],
    at: &str,
) -> Result<CustomerImport, StoreError> {
    let mut seen = std::collections::HashSet::new();
    for (i, customer) in customers.iter().enumerate() {
        check(customer, i)?;
        if !seen.insert(customer.id.as_str()) {
            return Err(StoreError::Invalid(format!(
                "customer {}: id {:?} is given twice",
                i + 1,
                customer.id
            )));
        }
    }
    let seq: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(updated_seq), 0) + 1 FROM customers")
        .fetch_one(&mut *conn)
        .await?;
    let mut outcome = CustomerImport::default();
    let mut content = Sha256::new();
    for customer in customers {
        let record = serde_json::to_string(customer).expect("customers serialize");
        let hash = Sha256::digest(record.as_bytes()).to_vec();
        content.update(&hash);
        let before: Option<Vec<u8>> =
            sqlx::query_scalar("SELECT record_hash FROM customers WHERE id = ?")
                .bind(&customer.id)
                .fetch_optional(&mut *conn)
                .await?;
        match before {
            Some(before) if before == hash => outcome.unchanged += 1,
            before => {
                if before.is_some() {
                    outcome.changed += 1;
                } else {
                    outcome.added += 1;
                }
                sqlx::query(
                    "INSERT INTO customers (id, record, record_hash, updated_seq, updated_at) \
                     VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET \
                     record = excluded.record, record_hash = excluded.record_hash, \
                     updated_seq = excluded.updated_seq, updated_at = excluded.updated_at",
                )
                .bind(&customer.id)
                .bind(&record)
                .bind(&hash)
                .bind(seq)
                .bind(at)
                .execute(&mut *conn)
                .await?;
            }
        }
    }
    let entry = NewAudit {
        action: "customers.import".into(),
        subject: format!("{} customers", customers.len()),
        detail: serde_json::json!({
            "added": outcome.added, "changed": outcome.changed, "unchanged": outcome.unchanged,
            "sha256": hex::encode(content.finalize()),
        }),
    };
    audit::append(conn, actor, &entry, at).await?;
    Ok(outcome)
}

pub(crate) async fn each(
    pool: &SqlitePool,
    sink: &mut (dyn FnMut(StoredCustomer) -> Result<(), StoreError> + Send),
) -> Result<(), StoreError> {
    let upto: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(customers_upto), 0) FROM screening_runs")
            .fetch_one(pool)
            .await?;
    let mut after = String::new();
    loop {
        let rows = sqlx::query(
            "SELECT id, record, updated_seq FROM customers WHERE id > ? ORDER BY id LIMIT ?",
        )
        .bind(&after)
        .bind(PAGE)
        .fetch_all(pool)
        .await?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = last.try_get("id")?;
        for row in &rows {
            let record: String = row.try_get("record")?;
            let customer: Customer = serde_json::from_str(&record)
                .map_err(|e| StoreError::Corrupt(format!("customer record: {e}")))?;
            let updated: i64 = row.try_get("updated_seq")?;
            sink(StoredCustomer {
                customer,
                screened: updated <= upto,
            })?;
        }
    }
}

pub(crate) async fn baseline(pool: &SqlitePool) -> Result<ScreeningBaseline, StoreError> {
    let mut conn = pool.acquire().await?;
    let run: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM screening_runs")
        .fetch_one(&mut *conn)
        .await?;
    let customers_upto: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(updated_seq), 0) FROM customers")
            .fetch_one(&mut *conn)
            .await?;
    let last: Option<String> =
        sqlx::query_scalar("SELECT detail FROM screening_runs ORDER BY id DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    let last_detail = match last {
        Some(text) => serde_json::from_str(&text)
            .map_err(|e| StoreError::Corrupt(format!("screening run detail: {e}")))?,
        None => serde_json::Value::Null,
    };
    let fingerprints: Vec<(String, String)> =
        sqlx::query_as("SELECT entity_id, fingerprint FROM screened_entities ORDER BY entity_id")
            .fetch_all(&mut *conn)
            .await?;
    let hits = sqlx::query(
        "SELECT customer_id, entity_id, score, fingerprint FROM screening_hits \
         ORDER BY customer_id, entity_id",
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|row| {
        Ok(Hit {
            customer_id: row.try_get("customer_id")?,
            entity_id: row.try_get("entity_id")?,
            score: row.try_get("score")?,
            fingerprint: row.try_get("fingerprint")?,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(ScreeningBaseline {
        run,
        customers_upto,
        last_detail,
        fingerprints,
        hits,
    })
}

pub(crate) async fn commit(
    conn: &mut SqliteConnection,
    actor: &str,
    run: &ScreeningCommit,
    at: &str,
) -> Result<ScreeningRun, StoreError> {
    let last: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM screening_runs")
        .fetch_one(&mut *conn)
        .await?;
    if last != run.after_run {
        return Err(StoreError::Conflict(format!(
            "screening run {last} was committed after run {} was read: run again",
            run.after_run
        )));
    }
    // The customers stored when the run read its baseline, before it read the customers: one
    // imported or changed since then waits for the next run, even if this run saw it.
    let upto = run.customers_upto;
    let id = last + 1;
    sqlx::query(
        "INSERT INTO screening_runs (id, at, actor, customers_upto, detail) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(at)
    .bind(actor)
    .bind(upto)
    .bind(run.detail.to_string())
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM screened_entities")
        .execute(&mut *conn)
        .await?;
    for (entity, fingerprint) in &run.fingerprints {
        sqlx::query("INSERT INTO screened_entities (entity_id, fingerprint) VALUES (?, ?)")
            .bind(entity)
            .bind(fingerprint)
            .execute(&mut *conn)
            .await?;
    }
    for (customer, entity) in &run.withdrawn {
        sqlx::query("DELETE FROM screening_hits WHERE customer_id = ? AND entity_id = ?")
            .bind(customer)
            .bind(entity)
            .execute(&mut *conn)
            .await?;
    }
    for hit in &run.hits {
        if !hit.score.is_finite() {
            return Err(StoreError::Invalid(format!(
                "screening hit {} {}: score is not a number",
                hit.customer_id, hit.entity_id
            )));
        }
        sqlx::query(
            "INSERT OR REPLACE INTO screening_hits \
             (customer_id, entity_id, score, fingerprint, run_id) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&hit.customer_id)
        .bind(&hit.entity_id)
        .bind(hit.score)
        .bind(&hit.fingerprint)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    let alerts = cases::raise(conn, actor, &run.alerts, at).await?;
    let mut detail = run.detail.clone();
    if let Some(object) = detail.as_object_mut() {
        object.insert("alerts_raised".into(), alerts.len().into());
        object.insert("hits".into(), run.hits.len().into());
        object.insert("withdrawn".into(), run.withdrawn.len().into());
    }
    let entry = NewAudit {
        action: "screening.run".into(),
        subject: format!("run {id}"),
        detail,
    };
    audit::append(conn, actor, &entry, at).await?;
    Ok(ScreeningRun { run: id, alerts })
}
