//! The alert inbox and cases in SQLite. Every change is one immediate transaction with its
//! audit record; reads of cases (restricted records) are audited too. A case's state moves by
//! compare-and-set, like a freeze's.

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use crate::StoreError;
use crate::audit;
use crate::types::{
    Alert, AlertFilter, Case, CaseAction, CaseEvent, CaseFilter, CaseLink, CaseView, NewAlert,
    NewAudit, NewCase,
};

/// Longest note, title or detail a case takes: a case file holds evidence by reference.
pub const MAX_TEXT: usize = 10_000;

const ALERT_COLUMNS: &str = "id, source, dedupe, subject, entity_id, score, severity, summary, \
    detail, state, case_id, resolution, closed_by, closed_at, created_at";

const CASE_COLUMNS: &str = "id, kind, title, state, resolution, assignee, deadline, detail, \
    created_by, created_at, updated_at, \
    EXISTS (SELECT 1 FROM tip_contacts t WHERE t.case_id = cases.id) AS has_contact";

/// The states a case of each kind takes, where it starts, and the steps between them.
struct Machine {
    start: &'static str,
    steps: &'static [(&'static str, &'static str)],
    /// States that end the case; `closed` alone asks for a resolution.
    ends: &'static [&'static str],
}

const INVESTIGATION: Machine = Machine {
    start: "open",
    steps: &[
        ("open", "in-review"),
        ("in-review", "escalated"),
        ("in-review", "closed"),
        ("escalated", "in-review"),
        ("escalated", "closed"),
        ("closed", "in-review"),
    ],
    ends: &["closed"],
};

/// Extradition and mutual-legal-assistance requests, sent or received.
const REQUEST: Machine = Machine {
    start: "draft",
    steps: &[
        ("draft", "sent"),
        ("sent", "acknowledged"),
        ("acknowledged", "executing"),
        ("executing", "executed"),
        ("sent", "refused"),
        ("acknowledged", "refused"),
        ("executing", "refused"),
        ("draft", "withdrawn"),
        ("sent", "withdrawn"),
        ("acknowledged", "withdrawn"),
        ("executing", "withdrawn"),
    ],
    ends: &["executed", "refused", "withdrawn"],
};

const RESOLUTIONS: [&str; 3] = ["true-match", "false-positive", "not-actionable"];
const SEVERITIES: [&str; 4] = ["low", "medium", "high", "critical"];
const SOURCES: [&str; 4] = ["screening", "rescreening", "derived", "monitoring"];
const LINK_KINDS: [&str; 5] = ["alert", "entity", "transaction", "account", "evidence"];

fn machine(kind: &str) -> Result<&'static Machine, StoreError> {
    match kind {
        "investigation" | "tip" => Ok(&INVESTIGATION),
        "mla" => Ok(&REQUEST),
        _ => Err(StoreError::Invalid(format!(
            "case: kind {kind:?} is not one of investigation, tip, mla"
        ))),
    }
}

fn text(what: &str, value: &str, required: bool) -> Result<(), StoreError> {
    if required && value.trim().is_empty() {
        return Err(StoreError::Invalid(format!("{what} is empty")));
    }
    if value.len() > MAX_TEXT {
        return Err(StoreError::Invalid(format!(
            "{what} is {} bytes, over {MAX_TEXT}",
            value.len()
        )));
    }
    Ok(())
}

fn date(what: &str, value: &str) -> Result<(), StoreError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(value, &format)
        .map(|_| ())
        .map_err(|_| StoreError::Invalid(format!("{what} {value:?} is not a date (YYYY-MM-DD)")))
}

fn check_alert(alert: &NewAlert) -> Result<(), StoreError> {
    if !SOURCES.contains(&alert.source.as_str()) {
        return Err(StoreError::Invalid(format!(
            "alert: source {:?} is not one of {}",
            alert.source,
            SOURCES.join(", ")
        )));
    }
    if !SEVERITIES.contains(&alert.severity.as_str()) {
        return Err(StoreError::Invalid(format!(
            "alert: severity {:?} is not one of {}",
            alert.severity,
            SEVERITIES.join(", ")
        )));
    }
    text("alert: dedupe", &alert.dedupe, true)?;
    text("alert: subject", &alert.subject, true)?;
    text("alert: summary", &alert.summary, true)?;
    if alert.score.is_some_and(|s| !s.is_finite()) {
        return Err(StoreError::Invalid("alert: score is not a number".into()));
    }
    Ok(())
}

/// Raises the alerts whose dedupe key is new, in order; returns those raised.
pub(crate) async fn raise(
    conn: &mut SqliteConnection,
    actor: &str,
    alerts: &[NewAlert],
    at: &str,
) -> Result<Vec<Alert>, StoreError> {
    for alert in alerts {
        check_alert(alert)?;
    }
    let mut seq: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM alerts")
        .fetch_one(&mut *conn)
        .await?;
    let mut raised = Vec::new();
    for alert in alerts {
        let id = format!("alt-{}", seq + 1);
        let done = sqlx::query(
            "INSERT INTO alerts (id, seq, source, dedupe, subject, entity_id, score, severity, \
             summary, detail, state, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?) ON CONFLICT (dedupe) DO NOTHING",
        )
        .bind(&id)
        .bind(seq + 1)
        .bind(&alert.source)
        .bind(&alert.dedupe)
        .bind(&alert.subject)
        .bind(&alert.entity_id)
        .bind(alert.score)
        .bind(&alert.severity)
        .bind(&alert.summary)
        .bind(alert.detail.to_string())
        .bind(at)
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() == 1 {
            seq += 1;
            raised.push(Alert {
                id,
                raised: alert.clone(),
                state: "open".into(),
                case_id: None,
                resolution: None,
                closed_by: None,
                closed_at: None,
                created_at: at.to_string(),
            });
        }
    }
    if !raised.is_empty() {
        let ids: Vec<&str> = raised.iter().map(|a| a.id.as_str()).collect();
        let entry = NewAudit {
            action: "alert.raise".into(),
            subject: format!("{} alerts", raised.len()),
            detail: serde_json::json!({ "ids": ids }),
        };
        audit::append(conn, actor, &entry, at).await?;
    }
    Ok(raised)
}

pub(crate) async fn alerts(
    conn: &mut SqliteConnection,
    filter: &AlertFilter,
) -> Result<Vec<Alert>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {ALERT_COLUMNS} FROM alerts WHERE (?1 IS NULL OR state = ?1) \
         AND (?2 IS NULL OR source = ?2) AND (?3 IS NULL OR case_id = ?3) ORDER BY seq LIMIT ?4"
    ))
    .bind(&filter.state)
    .bind(&filter.source)
    .bind(&filter.case_id)
    .bind(filter.limit.map_or(-1, i64::from))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(alert_from_row).collect()
}

pub(crate) async fn alert(conn: &mut SqliteConnection, id: &str) -> Result<Alert, StoreError> {
    let row = sqlx::query(&format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => alert_from_row(&row),
        None => Err(StoreError::NotFound {
            kind: "alert",
            id: id.to_string(),
        }),
    }
}

/// Closes an open alert with a resolution; a screening alert closed as a false positive
/// records a suppression for its customer and party, so screening does not raise it again.
pub(crate) async fn close_alert(
    conn: &mut SqliteConnection,
    actor: &str,
    id: &str,
    resolution: &str,
    reason: &str,
    at: &str,
) -> Result<Alert, StoreError> {
    if !RESOLUTIONS.contains(&resolution) {
        return Err(StoreError::Invalid(format!(
            "alert: resolution {resolution:?} is not one of {}",
            RESOLUTIONS.join(", ")
        )));
    }
    text("alert: reason", reason, true)?;
    let current = alert(conn, id).await?;
    let done = sqlx::query(
        "UPDATE alerts SET state = 'closed', resolution = ?, closed_by = ?, closed_at = ? \
         WHERE id = ? AND state = 'open'",
    )
    .bind(resolution)
    .bind(actor)
    .bind(at)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(format!(
            "{id} is {}, not open",
            current.state
        )));
    }
    let suppressed = if resolution == "false-positive" {
        suppress(conn, actor, &current, reason, at).await?
    } else {
        false
    };
    let entry = NewAudit {
        action: "alert.close".into(),
        subject: id.to_string(),
        detail: serde_json::json!({
            "resolution": resolution, "reason": reason, "suppressed": suppressed
        }),
    };
    audit::append(conn, actor, &entry, at).await?;
    alert(conn, id).await
}

/// Records a screening alert's false positive as a suppression; `false` for other alerts.
async fn suppress(
    conn: &mut SqliteConnection,
    actor: &str,
    alert: &Alert,
    reason: &str,
    at: &str,
) -> Result<bool, StoreError> {
    let screening = matches!(alert.raised.source.as_str(), "screening" | "rescreening");
    let Some(entity) = alert.raised.entity_id.as_deref().filter(|_| screening) else {
        return Ok(false);
    };
    sqlx::query(
        "INSERT OR REPLACE INTO suppressions \
         (customer_id, entity_id, reason, decided_by, decided_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(&alert.raised.subject)
    .bind(entity)
    .bind(format!("{} closed as a false positive: {reason}", alert.id))
    .bind(actor)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

fn check_case(case: &NewCase) -> Result<&'static Machine, StoreError> {
    let machine = machine(&case.kind)?;
    text("case: title", &case.title, true)?;
    if case.title.len() > 300 {
        return Err(StoreError::Invalid(format!(
            "case: title is {} bytes, over 300",
            case.title.len()
        )));
    }
    if let Some(deadline) = &case.deadline {
        date("case: deadline", deadline)?;
    }
    if let Some(assignee) = &case.assignee {
        text("case: assignee", assignee, true)?;
    }
    text("case: detail", &case.detail.to_string(), false)?;
    if !(case.detail.is_null() || case.detail.is_object()) {
        return Err(StoreError::Invalid("case: detail is not an object".into()));
    }
    let field = |name: &str| case.detail.get(name).and_then(|v| v.as_str()).unwrap_or("");
    let required: &[&str] = match case.kind.as_str() {
        "tip" => &["source", "summary"],
        "mla" => &[
            "request",
            "direction",
            "requesting_state",
            "requested_state",
            "subject",
            "legal_basis",
        ],
        _ => &[],
    };
    for name in required {
        if field(name).trim().is_empty() {
            return Err(StoreError::Invalid(format!(
                "case: a {} needs detail.{name}",
                case.kind
            )));
        }
    }
    if case.kind == "mla" {
        if !["extradition", "mla"].contains(&field("request")) {
            return Err(StoreError::Invalid(
                "case: detail.request is not one of extradition, mla".into(),
            ));
        }
        if !["outgoing", "incoming"].contains(&field("direction")) {
            return Err(StoreError::Invalid(
                "case: detail.direction is not one of outgoing, incoming".into(),
            ));
        }
    }
    match (&case.contact, case.kind.as_str()) {
        (Some(contact), "tip") => text("case: contact", contact, true)?,
        (Some(_), kind) => {
            return Err(StoreError::Invalid(format!(
                "case: a contact is kept only for tips, not for a {kind}"
            )));
        }
        (None, _) => {}
    }
    Ok(machine)
}

pub(crate) async fn open(
    conn: &mut SqliteConnection,
    actor: &str,
    case: &NewCase,
    at: &str,
) -> Result<Case, StoreError> {
    let machine = check_case(case)?;
    let seq: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM cases")
        .fetch_one(&mut *conn)
        .await?;
    let id = format!("case-{seq}");
    let detail = if case.detail.is_null() {
        serde_json::json!({})
    } else {
        case.detail.clone()
    };
    sqlx::query(
        "INSERT INTO cases (id, seq, kind, title, state, assignee, deadline, detail, \
         created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(seq)
    .bind(&case.kind)
    .bind(&case.title)
    .bind(machine.start)
    .bind(&case.assignee)
    .bind(&case.deadline)
    .bind(detail.to_string())
    .bind(actor)
    .bind(at)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    if let Some(contact) = &case.contact {
        sqlx::query("INSERT INTO tip_contacts (case_id, contact) VALUES (?, ?)")
            .bind(&id)
            .bind(contact)
            .execute(&mut *conn)
            .await?;
    }
    event(conn, &id, actor, "open", &case.title, at).await?;
    for alert_id in &case.alerts {
        take_alert(conn, &id, actor, alert_id, at).await?;
    }
    let entry = NewAudit {
        action: "case.open".into(),
        subject: id.clone(),
        detail: serde_json::json!({
            "kind": case.kind, "title": case.title, "assignee": case.assignee,
            "deadline": case.deadline, "alerts": case.alerts,
            "contact_kept": case.contact.is_some(),
        }),
    };
    audit::append(conn, actor, &entry, at).await?;
    get(conn, &id).await
}

/// Puts an open alert into a case, and links it there.
async fn take_alert(
    conn: &mut SqliteConnection,
    case_id: &str,
    actor: &str,
    alert_id: &str,
    at: &str,
) -> Result<(), StoreError> {
    let current = alert(conn, alert_id).await?;
    let done = sqlx::query(
        "UPDATE alerts SET case_id = ? WHERE id = ? AND state = 'open' AND case_id IS NULL",
    )
    .bind(case_id)
    .bind(alert_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(match current.case_id {
            Some(other) => format!("{alert_id} is already in {other}"),
            None => format!("{alert_id} is {}, not open", current.state),
        }));
    }
    link(conn, case_id, actor, "alert", alert_id, "", at).await
}

async fn link(
    conn: &mut SqliteConnection,
    case_id: &str,
    actor: &str,
    kind: &str,
    reference: &str,
    note: &str,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO case_links (case_id, kind, reference, note, added_by, added_at) \
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET note = excluded.note",
    )
    .bind(case_id)
    .bind(kind)
    .bind(reference)
    .bind(note)
    .bind(actor)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    event(
        conn,
        case_id,
        actor,
        "link",
        &format!("{kind} {reference}"),
        at,
    )
    .await
}

async fn event(
    conn: &mut SqliteConnection,
    case_id: &str,
    actor: &str,
    kind: &str,
    text: &str,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO case_events (case_id, n, at, actor, kind, text) VALUES (?1, \
         (SELECT COALESCE(MAX(n), 0) + 1 FROM case_events WHERE case_id = ?1), ?2, ?3, ?4, ?5)",
    )
    .bind(case_id)
    .bind(at)
    .bind(actor)
    .bind(kind)
    .bind(text)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Takes one action on a case as `actor`; nothing is kept of a refused one.
pub(crate) async fn act(
    conn: &mut SqliteConnection,
    actor: &str,
    id: &str,
    action: &CaseAction,
    at: &str,
) -> Result<Case, StoreError> {
    let current = get(conn, id).await?;
    let mut detail = serde_json::to_value(action).expect("actions serialize");
    let ended = machine(&current.kind)?
        .ends
        .contains(&current.state.as_str());
    let changes_content = matches!(
        action,
        CaseAction::Assign { .. } | CaseAction::Link { .. } | CaseAction::Deadline { .. }
    );
    if ended && changes_content {
        return Err(StoreError::Conflict(format!(
            "{id} is {}: reopen it before changing it (notes may still be added)",
            current.state
        )));
    }
    match action {
        CaseAction::Move {
            from,
            to,
            resolution,
        } => {
            let machine = machine(&current.kind)?;
            if !machine.steps.iter().any(|(f, t)| f == from && t == to) {
                return Err(StoreError::Conflict(format!(
                    "a {} does not go from {from} to {to}",
                    current.kind
                )));
            }
            let resolution = match (to.as_str(), resolution.as_deref()) {
                ("closed", Some(r)) if RESOLUTIONS.contains(&r) => Some(r),
                ("closed", r) => {
                    return Err(StoreError::Invalid(format!(
                        "case: closing needs a resolution, one of {} (got {r:?})",
                        RESOLUTIONS.join(", ")
                    )));
                }
                (_, None) => None,
                (_, Some(r)) => {
                    return Err(StoreError::Invalid(format!(
                        "case: a resolution ({r}) is given only when closing"
                    )));
                }
            };
            let done = sqlx::query(
                "UPDATE cases SET state = ?, resolution = ?, updated_at = ? \
                 WHERE id = ? AND state = ?",
            )
            .bind(to)
            .bind(resolution)
            .bind(at)
            .bind(id)
            .bind(from)
            .execute(&mut *conn)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict(format!(
                    "{id} is {}, not {from}: someone acted first",
                    current.state
                )));
            }
            let text = match resolution {
                Some(r) => format!("{from} -> {to} ({r})"),
                None => format!("{from} -> {to}"),
            };
            event(conn, id, actor, "state", &text, at).await?;
            if let Some(resolution) = resolution {
                let closed = close_case_alerts(conn, actor, id, resolution, at).await?;
                detail["alerts_closed"] = serde_json::json!(closed);
            }
        }
        CaseAction::Assign { assignee } => {
            text("case: assignee", assignee, true)?;
            set(conn, id, "assignee", assignee, at).await?;
            event(conn, id, actor, "assign", assignee, at).await?;
        }
        CaseAction::Note { text: note } => {
            text("case: note", note, true)?;
            touch(conn, id, at).await?;
            event(conn, id, actor, "note", note, at).await?;
        }
        CaseAction::Link {
            kind,
            reference,
            note,
        } => {
            if !LINK_KINDS.contains(&kind.as_str()) {
                return Err(StoreError::Invalid(format!(
                    "case: link kind {kind:?} is not one of {}",
                    LINK_KINDS.join(", ")
                )));
            }
            text("case: link reference", reference, true)?;
            text("case: link note", note, false)?;
            if kind == "alert" {
                take_alert(conn, id, actor, reference, at).await?;
            } else {
                link(conn, id, actor, kind, reference, note, at).await?;
            }
            touch(conn, id, at).await?;
        }
        CaseAction::Deadline { date: day } => {
            date("case: deadline", day)?;
            set(conn, id, "deadline", day, at).await?;
            event(conn, id, actor, "deadline", day, at).await?;
        }
    }
    let kind = match action {
        CaseAction::Move { .. } => "move",
        CaseAction::Assign { .. } => "assign",
        CaseAction::Note { .. } => "note",
        CaseAction::Link { .. } => "link",
        CaseAction::Deadline { .. } => "deadline",
    };
    let entry = NewAudit {
        action: format!("case.{kind}"),
        subject: id.to_string(),
        detail,
    };
    audit::append(conn, actor, &entry, at).await?;
    get(conn, id).await
}

/// Closes a case's open alerts with its resolution; returns their ids.
async fn close_case_alerts(
    conn: &mut SqliteConnection,
    actor: &str,
    case_id: &str,
    resolution: &str,
    at: &str,
) -> Result<Vec<String>, StoreError> {
    let open = alerts(
        conn,
        &AlertFilter {
            state: Some("open".into()),
            case_id: Some(case_id.into()),
            ..AlertFilter::default()
        },
    )
    .await?;
    for alert in &open {
        sqlx::query(
            "UPDATE alerts SET state = 'closed', resolution = ?, closed_by = ?, closed_at = ? \
             WHERE id = ?",
        )
        .bind(resolution)
        .bind(actor)
        .bind(at)
        .bind(&alert.id)
        .execute(&mut *conn)
        .await?;
        if resolution == "false-positive" {
            suppress(conn, actor, alert, &format!("case {case_id}"), at).await?;
        }
    }
    Ok(open.into_iter().map(|a| a.id).collect())
}

async fn set(
    conn: &mut SqliteConnection,
    id: &str,
    column: &str,
    value: &str,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "UPDATE cases SET {column} = ?, updated_at = ? WHERE id = ?"
    ))
    .bind(value)
    .bind(at)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn touch(conn: &mut SqliteConnection, id: &str, at: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE cases SET updated_at = ? WHERE id = ?")
        .bind(at)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(crate) async fn get(conn: &mut SqliteConnection, id: &str) -> Result<Case, StoreError> {
    let row = sqlx::query(&format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => case_from_row(&row),
        None => Err(StoreError::NotFound {
            kind: "case",
            id: id.to_string(),
        }),
    }
}

/// A case whole, its read audited.
pub(crate) async fn view(
    conn: &mut SqliteConnection,
    actor: &str,
    id: &str,
    at: &str,
) -> Result<CaseView, StoreError> {
    let case = get(conn, id).await?;
    let links = sqlx::query(
        "SELECT kind, reference, note, added_by, added_at FROM case_links WHERE case_id = ? \
         ORDER BY added_at, kind, reference",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|row| {
        Ok(CaseLink {
            kind: row.try_get("kind")?,
            reference: row.try_get("reference")?,
            note: row.try_get("note")?,
            added_by: row.try_get("added_by")?,
            added_at: row.try_get("added_at")?,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    let events = sqlx::query(
        "SELECT n, at, actor, kind, text FROM case_events WHERE case_id = ? ORDER BY n",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|row| {
        Ok(CaseEvent {
            n: row.try_get("n")?,
            at: row.try_get("at")?,
            actor: row.try_get("actor")?,
            kind: row.try_get("kind")?,
            text: row.try_get("text")?,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    let alerts = alerts(
        conn,
        &AlertFilter {
            case_id: Some(id.into()),
            ..AlertFilter::default()
        },
    )
    .await?;
    let entry = NewAudit {
        action: "case.read".into(),
        subject: id.to_string(),
        detail: serde_json::json!({ "kind": case.kind }),
    };
    audit::append(conn, actor, &entry, at).await?;
    Ok(CaseView {
        case,
        links,
        events,
        alerts,
    })
}

/// Cases by filter, oldest first; the listing is audited as one read.
pub(crate) async fn list(
    conn: &mut SqliteConnection,
    actor: &str,
    filter: &CaseFilter,
    at: &str,
) -> Result<Vec<Case>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {CASE_COLUMNS} FROM cases WHERE (?1 IS NULL OR kind = ?1) \
         AND (?2 IS NULL OR state = ?2) AND (?3 IS NULL OR assignee = ?3) ORDER BY seq"
    ))
    .bind(&filter.kind)
    .bind(&filter.state)
    .bind(&filter.assignee)
    .fetch_all(&mut *conn)
    .await?;
    let cases = rows
        .iter()
        .map(case_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let entry = NewAudit {
        action: "case.list".into(),
        subject: format!("{} cases", cases.len()),
        detail: serde_json::json!({
            "kind": filter.kind, "state": filter.state, "assignee": filter.assignee
        }),
    };
    audit::append(conn, actor, &entry, at).await?;
    Ok(cases)
}

/// A tip's submitter contact, its read audited.
pub(crate) async fn contact(
    conn: &mut SqliteConnection,
    actor: &str,
    id: &str,
    at: &str,
) -> Result<String, StoreError> {
    let case = get(conn, id).await?;
    let contact: Option<String> =
        sqlx::query_scalar("SELECT contact FROM tip_contacts WHERE case_id = ?")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(contact) = contact else {
        return Err(StoreError::NotFound {
            kind: "tip contact",
            id: format!("{id} ({})", case.kind),
        });
    };
    let entry = NewAudit {
        action: "tip.contact.read".into(),
        subject: id.to_string(),
        detail: serde_json::json!({}),
    };
    audit::append(conn, actor, &entry, at).await?;
    Ok(contact)
}

fn alert_from_row(row: &SqliteRow) -> Result<Alert, StoreError> {
    let detail: String = row.try_get("detail")?;
    Ok(Alert {
        id: row.try_get("id")?,
        raised: NewAlert {
            source: row.try_get("source")?,
            dedupe: row.try_get("dedupe")?,
            subject: row.try_get("subject")?,
            entity_id: row.try_get("entity_id")?,
            score: row.try_get("score")?,
            severity: row.try_get("severity")?,
            summary: row.try_get("summary")?,
            detail: serde_json::from_str(&detail)
                .map_err(|e| StoreError::Corrupt(format!("alert detail: {e}")))?,
        },
        state: row.try_get("state")?,
        case_id: row.try_get("case_id")?,
        resolution: row.try_get("resolution")?,
        closed_by: row.try_get("closed_by")?,
        closed_at: row.try_get("closed_at")?,
        created_at: row.try_get("created_at")?,
    })
}

fn case_from_row(row: &SqliteRow) -> Result<Case, StoreError> {
    let detail: String = row.try_get("detail")?;
    Ok(Case {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        title: row.try_get("title")?,
        state: row.try_get("state")?,
        resolution: row.try_get("resolution")?,
        assignee: row.try_get("assignee")?,
        deadline: row.try_get("deadline")?,
        detail: serde_json::from_str(&detail)
            .map_err(|e| StoreError::Corrupt(format!("case detail: {e}")))?,
        has_contact: row.try_get("has_contact")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}
