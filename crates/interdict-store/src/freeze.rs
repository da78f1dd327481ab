//! Freeze orders in SQLite: created proposed, then moved step by step by compare-and-set,
//! each step audited in its own transaction.

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection, SqlitePool};

use crate::StoreError;
use crate::audit;
use crate::types::{Freeze, FreezeStep, NewAudit, NewFreeze};

/// Longest text a freeze field takes; a description is a sentence, not a file.
const MAX_FIELD: usize = 4_000;

const COLUMNS: &str = "id, asset_kind, asset, description, holder_id, holder_name, basis, \
    program, value, currency, location, institution, state, proposed_by, proposed_at, \
    decided_by, decided_at, unblock_reason, unblock_proposed_by, unblock_proposed_at, \
    unblocked_by, unblocked_at";

/// The steps a freeze may take, and which earlier actor must not be the one taking it.
const STEPS: [(&str, &str, Option<&str>); 5] = [
    ("proposed", "blocked", Some("proposed_by")),
    ("proposed", "rejected", Some("proposed_by")),
    ("blocked", "unblock-proposed", None),
    ("unblock-proposed", "unblocked", Some("unblock_proposed_by")),
    ("unblock-proposed", "blocked", Some("unblock_proposed_by")),
];

pub(crate) fn check(order: &NewFreeze) -> Result<(), StoreError> {
    let kinds = ["account", "wallet", "vessel", "aircraft", "real-property"];
    if !kinds.contains(&order.asset_kind.as_str()) {
        return Err(StoreError::Invalid(format!(
            "freeze: asset_kind {:?} is not one of {}",
            order.asset_kind,
            kinds.join(", ")
        )));
    }
    let fields = [
        ("asset", &order.asset),
        ("description", &order.description),
        ("holder_name", &order.holder_name),
        ("basis", &order.basis),
        ("program", &order.program),
        ("value", &order.value),
        ("currency", &order.currency),
        ("location", &order.location),
        ("institution", &order.institution),
    ];
    for (field, value) in fields {
        if value.trim().is_empty() {
            return Err(StoreError::Invalid(format!("freeze: {field} is empty")));
        }
        if value.len() > MAX_FIELD {
            return Err(StoreError::Invalid(format!(
                "freeze: {field} is {} bytes, over {MAX_FIELD}",
                value.len()
            )));
        }
    }
    Ok(())
}

pub(crate) async fn create(
    conn: &mut SqliteConnection,
    actor: &str,
    order: &NewFreeze,
    at: &str,
) -> Result<Freeze, StoreError> {
    check(order)?;
    let seq: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM freezes")
        .fetch_one(&mut *conn)
        .await?;
    let id = format!("frz-{seq}");
    sqlx::query(
        "INSERT INTO freezes (id, seq, asset_kind, asset, description, holder_id, holder_name, \
         basis, program, value, currency, location, institution, state, proposed_by, \
         proposed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'proposed', ?, ?)",
    )
    .bind(&id)
    .bind(seq)
    .bind(&order.asset_kind)
    .bind(&order.asset)
    .bind(&order.description)
    .bind(&order.holder_id)
    .bind(&order.holder_name)
    .bind(&order.basis)
    .bind(&order.program)
    .bind(&order.value)
    .bind(&order.currency)
    .bind(&order.location)
    .bind(&order.institution)
    .bind(actor)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    let entry = NewAudit {
        action: "freeze.propose".into(),
        subject: id.clone(),
        detail: serde_json::to_value(order).expect("orders serialize"),
    };
    audit::append(conn, actor, &entry, at).await?;
    get(conn, &id).await
}

pub(crate) async fn step(
    conn: &mut SqliteConnection,
    actor: &str,
    step: &FreezeStep,
    at: &str,
) -> Result<Freeze, StoreError> {
    let Some(&(_, _, other_than)) = STEPS
        .iter()
        .find(|(from, to, _)| *from == step.from && *to == step.to)
    else {
        return Err(StoreError::Conflict(format!(
            "a freeze does not go from {} to {}",
            step.from, step.to
        )));
    };
    let reason = step.reason.as_deref().map(str::trim).unwrap_or("");
    if step.to == "unblock-proposed" && reason.is_empty() {
        return Err(StoreError::Invalid(
            "freeze: unblocking needs a reason (delisting, licence, error)".into(),
        ));
    }
    if reason.len() > MAX_FIELD {
        return Err(StoreError::Invalid(format!(
            "freeze: reason is {} bytes, over {MAX_FIELD}",
            reason.len()
        )));
    }
    let set = match step.to.as_str() {
        "blocked" if step.from == "proposed" => "decided_by = ?1, decided_at = ?2",
        "rejected" => "decided_by = ?1, decided_at = ?2",
        "unblock-proposed" => {
            "unblock_proposed_by = ?1, unblock_proposed_at = ?2, unblock_reason = ?3"
        }
        "unblocked" => "unblocked_by = ?1, unblocked_at = ?2",
        // An unblocking turned down: the freeze stands; the audit trail keeps the attempt.
        "blocked" if step.from == "unblock-proposed" => {
            "unblock_proposed_by = NULL, unblock_proposed_at = NULL, unblock_reason = NULL"
        }
        _ => {
            return Err(StoreError::Conflict(format!(
                "a freeze does not go from {} to {}",
                step.from, step.to
            )));
        }
    };
    let guard = other_than.map_or(String::new(), |column| format!(" AND {column} <> ?1"));
    let done = sqlx::query(&format!(
        "UPDATE freezes SET state = ?4, {set} WHERE id = ?5 AND state = ?6{guard}"
    ))
    .bind(actor)
    .bind(at)
    .bind(reason)
    .bind(&step.to)
    .bind(&step.id)
    .bind(&step.from)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        let current = get(conn, &step.id).await?;
        let by = other_than.and_then(|column| match column {
            "proposed_by" => Some(current.proposed_by.as_str()),
            _ => current.unblock_proposed_by.as_deref(),
        });
        return Err(StoreError::Conflict(if current.state != step.from {
            format!(
                "{} is {}, not {}: someone acted first",
                step.id, current.state, step.from
            )
        } else if by == Some(actor) {
            format!(
                "{actor} proposed this step for {}: another person must decide it",
                step.id
            )
        } else {
            format!("{} could not be moved to {}", step.id, step.to)
        }));
    }
    let reason = (!reason.is_empty()).then_some(reason);
    let entry = NewAudit {
        action: format!("freeze.{}", step.to),
        subject: step.id.clone(),
        detail: serde_json::json!({ "from": step.from, "reason": reason }),
    };
    audit::append(conn, actor, &entry, at).await?;
    get(conn, &step.id).await
}

pub(crate) async fn get(conn: &mut SqliteConnection, id: &str) -> Result<Freeze, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM freezes WHERE id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => from_row(&row),
        None => Err(StoreError::NotFound {
            kind: "freeze",
            id: id.to_string(),
        }),
    }
}

pub(crate) async fn all(pool: &SqlitePool) -> Result<Vec<Freeze>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM freezes ORDER BY seq"))
        .fetch_all(pool)
        .await?;
    rows.iter().map(from_row).collect()
}

fn from_row(row: &SqliteRow) -> Result<Freeze, StoreError> {
    Ok(Freeze {
        id: row.try_get("id")?,
        order: NewFreeze {
            asset_kind: row.try_get("asset_kind")?,
            asset: row.try_get("asset")?,
            description: row.try_get("description")?,
            holder_id: row.try_get("holder_id")?,
            holder_name: row.try_get("holder_name")?,
            basis: row.try_get("basis")?,
            program: row.try_get("program")?,
            value: row.try_get("value")?,
            currency: row.try_get("currency")?,
            location: row.try_get("location")?,
            institution: row.try_get("institution")?,
        },
        state: row.try_get("state")?,
        proposed_by: row.try_get("proposed_by")?,
        proposed_at: row.try_get("proposed_at")?,
        decided_by: row.try_get("decided_by")?,
        decided_at: row.try_get("decided_at")?,
        unblock_reason: row.try_get("unblock_reason")?,
        unblock_proposed_by: row.try_get("unblock_proposed_by")?,
        unblock_proposed_at: row.try_get("unblock_proposed_at")?,
        unblocked_by: row.try_get("unblocked_by")?,
        unblocked_at: row.try_get("unblocked_at")?,
    })
}
