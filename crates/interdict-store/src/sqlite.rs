//! The embedded backend: one SQLite file in WAL mode.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use interdict_model::{Entity, Statement};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection, SqlitePool};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::EntityStream;
use crate::state::{EntityState, History, StateRow, decode, sorted_unique, states_of, value_keys};
use crate::types::{
    Alert, AlertFilter, AuditCheck, AuditRecord, Case, CaseAction, CaseFilter, CaseView, Customer,
    CustomerImport, DerivedStatus, Freeze, FreezeStep, ImportProgress, ListVersion, NewAlert,
    NewAudit, NewCase, NewFreeze, NewVersion, ScreeningBaseline, ScreeningCommit, ScreeningRun,
    StoredCustomer, Summary, Suppression, User,
};
use crate::{Store, StoreError, audit, cases, freeze, screening};

/// SQLite allows 32,766 bound parameters in one statement; rows per insert stay under it.
const ROWS_PER_INSERT: usize = 6_000;

const VERSION_COLUMNS: &str = "id, dataset, version, content_hash, entity_count, statement_count, \
     warning_count, files, ingested_at";

/// Rows SQLite packs into one JSON row for bulk reads.
const PAGE_ROWS: usize = 20_000;
/// Entities per page of [`Store::each_current_statement`].
const PAGE_ENTITIES: usize = 10_000;

const STATE_COLUMNS: &str = "ve.entity_id, v.dataset, v.version, s.hash, s.schema, s.statements";

/// Whose version history to read.
#[derive(Clone, Copy)]
enum HistoryScope<'a> {
    Dataset(&'a str),
    Entity(&'a str),
    /// Entity ids after the first and up to the second.
    Range(&'a str, &'a str),
}

/// A store in one SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// Who the changes made through this handle are recorded as made by.
    actor: std::sync::Arc<str>,
}

impl SqliteStore {
    /// Opens (creating if need be) the store at `path` and brings its schema up to date.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref();
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a committed import survives power loss, not only a killed process.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-65536")
            // Multi-row inserts keep a statement journal; in memory it costs no file writes.
            .pragma("temp_store", "MEMORY");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Open {
                path: path.display().to_string(),
                source,
            })?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(SqliteStore {
            pool,
            actor: "system".into(),
        })
    }

    /// The same store, recording the changes made through it as made by `actor` (a user,
    /// or a process acting for one). A fresh handle acts as `system`.
    pub fn acting_as(&self, actor: &str) -> Self {
        SqliteStore {
            pool: self.pool.clone(),
            actor: actor.into(),
        }
    }

    /// Runs SQLite's own consistency check; `Ok` when the file is sound.
    pub async fn integrity_check(&self) -> Result<(), StoreError> {
        let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&self.pool)
            .await?;
        if verdict == "ok" {
            Ok(())
        } else {
            Err(StoreError::Corrupt(verdict))
        }
    }

    /// Current states, ordered by entity id: of one entity, or of all.
    async fn current_rows(&self, entity: &str) -> Result<Vec<StateRow>, StoreError> {
        self.current_rows_where("ve.entity_id = ?", &[entity]).await
    }

    /// Current rows matching `filter` (over `ve`), ordered by entity and dataset.
    async fn current_rows_where(
        &self,
        filter: &str,
        keys: &[&str],
    ) -> Result<Vec<StateRow>, StoreError> {
        let sql = format!(
            "SELECT {STATE_COLUMNS} FROM version_entities ve \
             JOIN current_versions v ON v.id = ve.version_id \
             JOIN entity_states s ON s.hash = ve.state \
             WHERE {filter} ORDER BY ve.entity_id, v.dataset"
        );
        let mut query = sqlx::query(&sql);
        for key in keys {
            query = query.bind(*key);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(state_row).collect()
    }

    /// The last of the next `PAGE_ENTITIES` current entity ids after `after`, if any.
    async fn page_end(&self, after: &str) -> Result<Option<String>, StoreError> {
        let last: Option<String> = sqlx::query_scalar(&format!(
            "SELECT max(entity_id) FROM (SELECT DISTINCT ve.entity_id FROM version_entities ve \
             JOIN current_versions v ON v.id = ve.version_id \
             WHERE ve.entity_id > ? ORDER BY ve.entity_id LIMIT {PAGE_ENTITIES})"
        ))
        .bind(after)
        .fetch_one(&self.pool)
        .await?;
        Ok(last)
    }

    /// Which state each version held, per (dataset, entity): the history provenance is read from.
    /// All of it, or that of one dataset, or of one entity.
    async fn histories(
        &self,
        scope: HistoryScope<'_>,
    ) -> Result<HashMap<(String, String), History>, StoreError> {
        let (filter, keys) = match scope {
            HistoryScope::Dataset(d) => ("WHERE v.dataset = ?", vec![d]),
            HistoryScope::Entity(e) => ("WHERE ve.entity_id = ?", vec![e]),
            HistoryScope::Range(a, b) => {
                ("WHERE ve.entity_id > ? AND ve.entity_id <= ?", vec![a, b])
            }
        };
        let sql = format!(
            "SELECT v.dataset, ve.entity_id, v.version, ve.state FROM version_entities ve \
             JOIN list_versions v ON v.id = ve.version_id {filter}"
        );
        let mut query = sqlx::query_as::<_, (String, String, String, Vec<u8>)>(&sql);
        for key in keys {
            query = query.bind(key);
        }
        let rows = query.fetch_all(&self.pool).await?;
        let mut out: HashMap<(String, String), History> = HashMap::new();
        for (dataset, entity, version, hash) in rows {
            out.entry((dataset, entity))
                .or_default()
                .versions
                .push((version, hash16(hash)?));
        }
        Ok(out)
    }

    /// Statements of `rows` with first/last seen taken from `histories`.
    async fn with_provenance(
        &self,
        rows: &[StateRow],
        histories: &HashMap<(String, String), History>,
    ) -> Result<Vec<Statement>, StoreError> {
        let mut needed: BTreeSet<[u8; 16]> = BTreeSet::new();
        for row in rows {
            if let Some(h) = histories.get(&(row.dataset.clone(), row.entity_id.clone())) {
                needed.extend(
                    h.versions
                        .iter()
                        .map(|(_, hash)| *hash)
                        .filter(|hash| *hash != row.hash),
                );
            }
        }
        let others = self.value_keys(&needed).await?;
        let empty = History::default();
        let mut out = Vec::new();
        for row in rows {
            let history = histories
                .get(&(row.dataset.clone(), row.entity_id.clone()))
                .unwrap_or(&empty);
            out.extend(history.statements(row, &others)?);
        }
        Ok(out)
    }

    /// The (property, value) pairs of the states with these hashes.
    async fn value_keys(
        &self,
        hashes: &BTreeSet<[u8; 16]>,
    ) -> Result<HashMap<[u8; 16], HashSet<(String, String)>>, StoreError> {
        let mut out = HashMap::new();
        let hashes: Vec<_> = hashes.iter().collect();
        for chunk in hashes.chunks(ROWS_PER_INSERT) {
            let mut query = QueryBuilder::<Sqlite>::new(
                "SELECT hash, statements FROM entity_states WHERE hash IN (",
            );
            let mut list = query.separated(", ");
            for hash in chunk {
                list.push_bind(&hash[..]);
            }
            query.push(")");
            let rows: Vec<(Vec<u8>, String)> = query.build_query_as().fetch_all(&self.pool).await?;
            for (hash, json) in rows {
                out.insert(hash16(hash)?, value_keys(&json)?);
            }
        }
        Ok(out)
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn for_actor(&self, actor: &str) -> std::sync::Arc<dyn Store> {
        std::sync::Arc::new(self.acting_as(actor))
    }

    async fn import_stream(
        &self,
        version: &NewVersion,
        entities: &mut dyn EntityStream,
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> Result<ListVersion, StoreError> {
        let ingested_at = now_rfc3339();
        let files = serde_json::to_string(&version.files).expect("strings serialize");

        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        refuse_duplicates(&mut tx, version).await?;
        // Counts are filled in once the stream has ended.
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO list_versions (dataset, version, content_hash, entity_count, \
             statement_count, warning_count, files, ingested_at) \
             VALUES (?, ?, ?, 0, 0, 0, ?, ?) RETURNING id",
        )
        .bind(&version.dataset)
        .bind(&version.version)
        .bind(&version.content_hash)
        .bind(&files)
        .bind(&ingested_at)
        .fetch_one(&mut *tx)
        .await?;
        let mut written = ImportProgress {
            entities: 0,
            statements: 0,
        };
        while let Some(chunk) = entities.next_chunk().await? {
            let sorted = sorted_unique(&chunk)?;
            // States are made a part at a time, so an import holds one part of them, not all.
            for part in sorted.chunks(ROWS_PER_INSERT) {
                let states = states_of(&version.dataset, &version.label, part);
                insert_states(&mut tx, id, &states).await?;
                written.entities += states.len() as u64;
                written.statements += states.iter().map(|s| s.statement_count as u64).sum::<u64>();
                progress(written);
            }
        }
        let warnings = entities.warning_count();
        sqlx::query(
            "UPDATE list_versions SET entity_count = ?, statement_count = ?, warning_count = ? \
             WHERE id = ?",
        )
        .bind(written.entities as i64)
        .bind(written.statements as i64)
        .bind(warnings as i64)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let entry = NewAudit {
            action: "list.ingest".into(),
            subject: format!("{} {}", version.dataset, version.version),
            detail: serde_json::json!({
                "content_hash": version.content_hash,
                "files": version.files,
                "entities": written.entities,
                "statements": written.statements,
                "warnings": warnings,
            }),
        };
        audit::append(&mut tx, &self.actor, &entry, &ingested_at).await?;
        tx.commit().await?;
        Ok(ListVersion {
            id,
            dataset: version.dataset.clone(),
            version: version.version.clone(),
            content_hash: version.content_hash.clone(),
            entity_count: written.entities,
            statement_count: written.statements,
            warning_count: warnings,
            files: version.files.clone(),
            ingested_at,
        })
    }

    async fn find_version(
        &self,
        dataset: &str,
        content_hash: &str,
    ) -> Result<Option<ListVersion>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {VERSION_COLUMNS} FROM list_versions WHERE dataset = ? AND content_hash = ?"
        ))
        .bind(dataset)
        .bind(content_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(version_from_row).transpose()
    }

    async fn versions(&self, dataset: Option<&str>) -> Result<Vec<ListVersion>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {VERSION_COLUMNS} FROM list_versions WHERE ? IS NULL OR dataset = ? \
             ORDER BY dataset, version"
        ))
        .bind(dataset)
        .bind(dataset)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(version_from_row).collect()
    }

    async fn version_statements(&self, version_id: i64) -> Result<Vec<Statement>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {STATE_COLUMNS} FROM version_entities ve \
             JOIN list_versions v ON v.id = ve.version_id \
             JOIN entity_states s ON s.hash = ve.state WHERE ve.version_id = ?"
        ))
        .bind(version_id)
        .fetch_all(&self.pool)
        .await?;
        let rows: Vec<StateRow> = rows.iter().map(state_row).collect::<Result<_, _>>()?;
        let Some(first) = rows.first() else {
            return Ok(Vec::new());
        };
        let histories = self
            .histories(HistoryScope::Dataset(&first.dataset.clone()))
            .await?;
        self.with_provenance(&rows, &histories).await
    }

    async fn entity_statements(&self, entity_id: &str) -> Result<Vec<Statement>, StoreError> {
        let rows = self.current_rows(entity_id).await?;
        let histories = self.histories(HistoryScope::Entity(entity_id)).await?;
        self.with_provenance(&rows, &histories).await
    }

    async fn referencing_statements(&self, entity_id: &str) -> Result<Vec<Statement>, StoreError> {
        let sources: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT r.source FROM entity_refs r \
             JOIN current_versions v ON v.id = r.version_id WHERE r.target = ? ORDER BY r.source",
        )
        .bind(entity_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for source in sources {
            let statements = self.entity_statements(&source).await?;
            out.extend(statements.into_iter().filter(|s| {
                s.prop_type == interdict_model::PropType::Entity && s.value == entity_id
            }));
        }
        Ok(out)
    }

    async fn each_current_statement(
        &self,
        sink: &mut (dyn FnMut(Statement) -> Result<(), StoreError> + Send),
    ) -> Result<(), StoreError> {
        // A page of entities at a time, with only their histories, so a registry of millions
        // is never held whole.
        let mut after = String::new();
        while let Some(last) = self.page_end(&after).await? {
            let rows = self
                .current_rows_where("ve.entity_id > ? AND ve.entity_id <= ?", &[&after, &last])
                .await?;
            let histories = self.histories(HistoryScope::Range(&after, &last)).await?;
            for batch in rows.chunks(ROWS_PER_INSERT) {
                for statement in self.with_provenance(batch, &histories).await? {
                    sink(statement)?;
                }
            }
            after = last;
        }
        Ok(())
    }

    async fn summary(&self) -> Result<Summary, StoreError> {
        // Aggregated in SQL: rows cross a thread boundary one by one in sqlx, so few rows is fast.
        let counts = |sql: String| async move {
            let rows: Vec<(String, i64)> = sqlx::query_as(&sql).fetch_all(&self.pool).await?;
            Ok::<_, StoreError>(rows.into_iter().map(|(k, n)| (k, n as u64)).collect())
        };
        let (entities, statements): (i64, Option<i64>) = sqlx::query_as(
            "SELECT (SELECT COUNT(DISTINCT ve.entity_id) FROM version_entities ve \
                     JOIN current_versions v ON v.id = ve.version_id), \
                    (SELECT SUM(statement_count) FROM current_versions)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(Summary {
            entities: entities as u64,
            statements: statements.unwrap_or(0) as u64,
            by_schema: counts(
                "SELECT ve.schema, COUNT(DISTINCT ve.entity_id) FROM version_entities ve \
                 JOIN current_versions v ON v.id = ve.version_id GROUP BY ve.schema"
                    .into(),
            )
            .await?,
            by_dataset: counts(format!(
                "{SANCTIONS} SELECT dataset, COUNT(DISTINCT target) FROM s GROUP BY dataset"
            ))
            .await?,
            by_program: counts(format!(
                "{SANCTIONS} SELECT program, COUNT(DISTINCT target) FROM s GROUP BY program"
            ))
            .await?,
        })
    }

    async fn add_suppression(&self, suppression: &Suppression) -> Result<Suppression, StoreError> {
        for (field, value) in [
            ("customer_id", &suppression.customer_id),
            ("entity_id", &suppression.entity_id),
            ("reason", &suppression.reason),
            ("decided_by", &suppression.decided_by),
        ] {
            if value.trim().is_empty() {
                return Err(StoreError::Invalid(format!(
                    "suppression: {field} is empty"
                )));
            }
        }
        let stored = Suppression {
            decided_at: now_rfc3339(),
            ..suppression.clone()
        };
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query(
            "INSERT OR REPLACE INTO suppressions \
             (customer_id, entity_id, reason, decided_by, decided_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&stored.customer_id)
        .bind(&stored.entity_id)
        .bind(&stored.reason)
        .bind(&stored.decided_by)
        .bind(&stored.decided_at)
        .execute(&mut *tx)
        .await?;
        let entry = NewAudit {
            action: "suppression.add".into(),
            subject: format!("{} {}", stored.customer_id, stored.entity_id),
            detail: serde_json::json!({ "reason": stored.reason, "decided_by": stored.decided_by }),
        };
        audit::append(&mut tx, &self.actor, &entry, &stored.decided_at).await?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn remove_suppression(
        &self,
        customer_id: &str,
        entity_id: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let done = sqlx::query("DELETE FROM suppressions WHERE customer_id = ? AND entity_id = ?")
            .bind(customer_id)
            .bind(entity_id)
            .execute(&mut *tx)
            .await?;
        let removed = done.rows_affected() > 0;
        if removed {
            let entry = NewAudit {
                action: "suppression.remove".into(),
                subject: format!("{customer_id} {entity_id}"),
                detail: serde_json::json!({}),
            };
            audit::append(&mut tx, &self.actor, &entry, &now_rfc3339()).await?;
        }
        tx.commit().await?;
        Ok(removed)
    }

    async fn suppressions(
        &self,
        customer_id: Option<&str>,
    ) -> Result<Vec<Suppression>, StoreError> {
        let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
            "SELECT customer_id, entity_id, reason, decided_by, decided_at FROM suppressions \
             WHERE ?1 IS NULL OR customer_id = ?1 ORDER BY customer_id, entity_id",
        )
        .bind(customer_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(customer_id, entity_id, reason, decided_by, decided_at)| Suppression {
                    customer_id,
                    entity_id,
                    reason,
                    decided_by,
                    decided_at,
                },
            )
            .collect())
    }

    async fn each_current_entity_of(
        &self,
        schemata: &[&str],
        sink: &mut (dyn FnMut(Entity) -> Result<(), StoreError> + Send),
    ) -> Result<(), StoreError> {
        if schemata.is_empty() {
            return Ok(());
        }
        // Rows cross sqlx's worker thread one at a time, which costs more than reading them:
        // SQLite packs a page of entities into one JSON row, pages keyed by entity id.
        let marks = vec!["?"; schemata.len()].join(", ");
        // Keyed by (entity, version): an entity held by two lists has two rows, and a page may
        // end between them. The key is compared as a row value: written as `a > ? OR (a = ?
        // AND b > ?)` SQLite cannot seek with bound parameters and scans from the first row
        // on every page, which made a million-company read quadratic (minutes, not seconds).
        let sql = format!(
            "SELECT json_group_array(json_array(entity_id, version_id, schema, statements) \
                                     ORDER BY entity_id, version_id) \
             FROM (SELECT ve.entity_id, ve.version_id, s.schema, s.statements \
                   FROM version_entities ve \
                   JOIN current_versions v ON v.id = ve.version_id \
                   JOIN entity_states s ON s.hash = ve.state \
                   WHERE ve.schema IN ({marks}) \
                   AND (ve.entity_id, ve.version_id) > (?, ?) \
                   ORDER BY ve.entity_id, ve.version_id LIMIT {PAGE_ROWS})"
        );
        let mut after = (String::new(), i64::MIN);
        let mut pending: Option<Entity> = None;
        loop {
            let mut query = sqlx::query_scalar::<_, String>(&sql);
            for schema in schemata {
                query = query.bind(*schema);
            }
            let page = query
                .bind(&after.0)
                .bind(after.1)
                .fetch_one(&self.pool)
                .await?;
            let rows: Vec<(String, i64, String, String)> = serde_json::from_str(&page)
                .map_err(|e| StoreError::Corrupt(format!("entity page: {e}")))?;
            let Some(last) = rows.last() else {
                break;
            };
            after = (last.0.clone(), last.1);
            for (id, _, schema, json) in rows {
                let mut entity = Entity::new(&id, &schema)
                    .map_err(|e| StoreError::Corrupt(format!("{id}: {e}")))?;
                for value in decode(&json)? {
                    entity
                        .add(&value.prop, &value.value)
                        .map_err(|e| StoreError::Corrupt(format!("{id}: {e}")))?;
                }
                match pending.as_mut() {
                    Some(previous) if previous.id == id => previous
                        .merge(entity)
                        .map_err(|e| StoreError::Corrupt(format!("{id}: {e}")))?,
                    _ => {
                        if let Some(done) = pending.replace(entity) {
                            sink(done)?;
                        }
                    }
                }
            }
        }
        if let Some(done) = pending {
            sink(done)?;
        }
        Ok(())
    }

    async fn current_entity_ids(&self, except: &[&str]) -> Result<Vec<String>, StoreError> {
        let marks = vec!["?"; except.len()].join(", ");
        let sql = format!(
            "SELECT json_group_array(entity_id ORDER BY entity_id), max(entity_id) FROM \
             (SELECT DISTINCT ve.entity_id FROM version_entities ve \
              JOIN current_versions v ON v.id = ve.version_id \
              WHERE ve.entity_id > ? AND ve.schema NOT IN ({marks}) \
              ORDER BY ve.entity_id LIMIT {PAGE_ROWS})"
        );
        let mut ids = Vec::new();
        let mut after = String::new();
        loop {
            let mut query = sqlx::query_as::<_, (String, Option<String>)>(&sql).bind(&after);
            for schema in except {
                query = query.bind(*schema);
            }
            let (page, last) = query.fetch_one(&self.pool).await?;
            let Some(last) = last else {
                break;
            };
            let page: Vec<String> = serde_json::from_str(&page)
                .map_err(|e| StoreError::Corrupt(format!("id page: {e}")))?;
            ids.extend(page);
            after = last;
        }
        Ok(ids)
    }

    async fn derived_statuses(&self) -> Result<Vec<DerivedStatus>, StoreError> {
        type Row = (String, String, String, String, String, String);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT entity_id, basis, held, mode, as_of, computed_at FROM derived_status \
             ORDER BY entity_id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(entity_id, basis, held, mode, as_of, computed_at)| DerivedStatus {
                    entity_id,
                    basis,
                    held,
                    mode,
                    as_of,
                    computed_at,
                },
            )
            .collect())
    }

    async fn replace_derived_statuses(&self, statuses: &[DerivedStatus]) -> Result<(), StoreError> {
        let computed_at = now_rfc3339();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("DELETE FROM derived_status")
            .execute(&mut *tx)
            .await?;
        // Six columns by 5,000 rows stays under SQLite's limit of 32,766 bound parameters.
        for chunk in statuses.chunks(5_000) {
            let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO derived_status (entity_id, basis, held, mode, as_of, computed_at) ",
            );
            insert.push_values(chunk, |mut row, s| {
                row.push_bind(&s.entity_id)
                    .push_bind(&s.basis)
                    .push_bind(&s.held)
                    .push_bind(&s.mode)
                    .push_bind(&s.as_of)
                    .push_bind(&computed_at);
            });
            insert.build().execute(&mut *tx).await?;
        }
        let entry = NewAudit {
            action: "derived.replace".into(),
            subject: "derived statuses".into(),
            detail: serde_json::json!({ "blocked": statuses.len() }),
        };
        audit::append(&mut tx, &self.actor, &entry, &computed_at).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn audit_append(&self, entry: &NewAudit) -> Result<AuditRecord, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let record = audit::append(&mut tx, &self.actor, entry, &now_rfc3339()).await?;
        tx.commit().await?;
        Ok(record)
    }

    async fn each_audit(
        &self,
        after: i64,
        sink: &mut (dyn FnMut(AuditRecord) -> Result<(), StoreError> + Send),
    ) -> Result<(), StoreError> {
        audit::each(&self.pool, after, sink).await
    }

    async fn audit_verify(&self) -> Result<AuditCheck, StoreError> {
        audit::verify(&self.pool).await
    }

    async fn propose_freeze(&self, order: &NewFreeze) -> Result<Freeze, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let stored = freeze::create(&mut tx, &self.actor, order, &now_rfc3339()).await?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn step_freeze(&self, step: &FreezeStep) -> Result<Freeze, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let stored = freeze::step(&mut tx, &self.actor, step, &now_rfc3339()).await?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn freezes(&self) -> Result<Vec<Freeze>, StoreError> {
        freeze::all(&self.pool).await
    }

    async fn add_user(&self, user: &User) -> Result<User, StoreError> {
        let roles = ["analyst", "supervisor", "administrator"];
        if !roles.contains(&user.role.as_str()) {
            return Err(StoreError::Invalid(format!(
                "user: role {:?} is not one of {}",
                user.role,
                roles.join(", ")
            )));
        }
        let name = user.name.trim();
        let valid = |c: char| c.is_alphanumeric() || "._@-".contains(c);
        if name.is_empty() || name.len() > 64 || !name.chars().all(valid) {
            return Err(StoreError::Invalid(format!(
                "user: name {:?} must be 1 to 64 letters, digits, '.', '_', '@' or '-'",
                user.name
            )));
        }
        if user.agency.len() > 200 || user.password_hash.is_empty() {
            return Err(StoreError::Invalid(
                "user: agency too long or no password".into(),
            ));
        }
        let stored = User {
            name: name.to_string(),
            created_at: now_rfc3339(),
            disabled: false,
            ..user.clone()
        };
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let taken: Option<String> = sqlx::query_scalar("SELECT name FROM users WHERE name = ?")
            .bind(&stored.name)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!("user {} exists", stored.name)));
        }
        sqlx::query(
            "INSERT INTO users (name, role, agency, password_hash, created_at) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&stored.name)
        .bind(&stored.role)
        .bind(&stored.agency)
        .bind(&stored.password_hash)
        .bind(&stored.created_at)
        .execute(&mut *tx)
        .await?;
        let entry = NewAudit {
            action: "user.add".into(),
            subject: stored.name.clone(),
            detail: serde_json::json!({ "role": stored.role, "agency": stored.agency }),
        };
        audit::append(&mut tx, &self.actor, &entry, &stored.created_at).await?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows: Vec<(String, String, String, String, String, bool)> = sqlx::query_as(
            "SELECT name, role, agency, password_hash, created_at, disabled FROM users \
             ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(name, role, agency, password_hash, created_at, disabled)| User {
                    name,
                    role,
                    agency,
                    password_hash,
                    created_at,
                    disabled,
                },
            )
            .collect())
    }

    async fn set_user_disabled(&self, user: &str, disabled: bool) -> Result<User, StoreError> {
        let at = now_rfc3339();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let done = sqlx::query("UPDATE users SET disabled = ? WHERE name = ?")
            .bind(disabled)
            .bind(user)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                kind: "user",
                id: user.to_string(),
            });
        }
        let entry = NewAudit {
            action: if disabled {
                "user.disable"
            } else {
                "user.enable"
            }
            .into(),
            subject: user.to_string(),
            detail: serde_json::json!({}),
        };
        audit::append(&mut tx, &self.actor, &entry, &at).await?;
        tx.commit().await?;
        let users = self.users().await?;
        users
            .into_iter()
            .find(|u| u.name == user)
            .ok_or_else(|| StoreError::NotFound {
                kind: "user",
                id: user.to_string(),
            })
    }

    async fn add_token(
        &self,
        user: &str,
        token_hash: &[u8],
        label: &str,
    ) -> Result<(), StoreError> {
        let at = now_rfc3339();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let known: Option<String> = sqlx::query_scalar("SELECT name FROM users WHERE name = ?")
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(StoreError::NotFound {
                kind: "user",
                id: user.to_string(),
            });
        }
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, user_name, label, created_at) VALUES (?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(user)
        .bind(label)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        let entry = NewAudit {
            action: "token.add".into(),
            subject: user.to_string(),
            detail: serde_json::json!({ "label": label }),
        };
        audit::append(&mut tx, &self.actor, &entry, &at).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn token_user(&self, token_hash: &[u8]) -> Result<Option<User>, StoreError> {
        let name: Option<String> =
            sqlx::query_scalar("SELECT user_name FROM api_tokens WHERE token_hash = ?")
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
        let Some(name) = name else {
            return Ok(None);
        };
        Ok(self.users().await?.into_iter().find(|u| u.name == name))
    }

    async fn import_customers(&self, customers: &[Customer]) -> Result<CustomerImport, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let done = screening::import(&mut tx, &self.actor, customers, &now_rfc3339()).await?;
        tx.commit().await?;
        Ok(done)
    }

    async fn each_customer(
        &self,
        sink: &mut (dyn FnMut(StoredCustomer) -> Result<(), StoreError> + Send),
    ) -> Result<(), StoreError> {
        screening::each(&self.pool, sink).await
    }

    async fn screening_baseline(&self) -> Result<ScreeningBaseline, StoreError> {
        screening::baseline(&self.pool).await
    }

    async fn commit_screening(&self, run: &ScreeningCommit) -> Result<ScreeningRun, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let done = screening::commit(&mut tx, &self.actor, run, &now_rfc3339()).await?;
        tx.commit().await?;
        Ok(done)
    }

    async fn raise_alerts(&self, alerts: &[NewAlert]) -> Result<Vec<Alert>, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let raised = cases::raise(&mut tx, &self.actor, alerts, &now_rfc3339()).await?;
        tx.commit().await?;
        Ok(raised)
    }

    async fn alerts(&self, filter: &AlertFilter) -> Result<Vec<Alert>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        cases::alerts(&mut conn, filter).await
    }

    async fn alert(&self, id: &str) -> Result<Alert, StoreError> {
        let mut conn = self.pool.acquire().await?;
        cases::alert(&mut conn, id).await
    }

    async fn close_alert(
        &self,
        id: &str,
        resolution: &str,
        reason: &str,
    ) -> Result<Alert, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let closed =
            cases::close_alert(&mut tx, &self.actor, id, resolution, reason, &now_rfc3339())
                .await?;
        tx.commit().await?;
        Ok(closed)
    }

    async fn open_case(&self, case: &NewCase) -> Result<Case, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let opened = cases::open(&mut tx, &self.actor, case, &now_rfc3339()).await?;
        tx.commit().await?;
        Ok(opened)
    }

    async fn cases(&self, filter: &CaseFilter) -> Result<Vec<Case>, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let listed = cases::list(&mut tx, &self.actor, filter, &now_rfc3339()).await?;
        tx.commit().await?;
        Ok(listed)
    }

    async fn case(&self, id: &str) -> Result<CaseView, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let view = cases::view(&mut tx, &self.actor, id, &now_rfc3339()).await?;
        tx.commit().await?;
        Ok(view)
    }

    async fn act_on_case(&self, id: &str, action: &CaseAction) -> Result<Case, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let case = cases::act(&mut tx, &self.actor, id, action, &now_rfc3339()).await?;
        tx.commit().await?;
        Ok(case)
    }

    async fn tip_contact(&self, case_id: &str) -> Result<String, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let contact = cases::contact(&mut tx, &self.actor, case_id, &now_rfc3339()).await?;
        tx.commit().await?;
        Ok(contact)
    }
}

/// Now, to the whole second: times in the store are for people and audits, not for ordering.
fn now_rfc3339() -> String {
    let now = OffsetDateTime::now_utc();
    now.replace_nanosecond(0)
        .unwrap_or(now)
        .format(&Rfc3339)
        .expect("a current UTC time formats as RFC 3339")
}

/// Current sanctions as (dataset, program, target) rows, read out of the stored states.
const SANCTIONS: &str = "WITH s AS (
    SELECT v.dataset AS dataset, json_extract(p.value, '$[1]') AS program, json_extract(e.value, '$[1]') AS target
    FROM version_entities ve
    JOIN current_versions v ON v.id = ve.version_id
    JOIN entity_states st ON st.hash = ve.state
    JOIN json_each(st.statements, '$.v') p ON json_extract(p.value, '$[0]') = 'program'
    JOIN json_each(st.statements, '$.v') e ON json_extract(e.value, '$[0]') = 'entity'
    WHERE ve.schema = 'Sanction')";

async fn refuse_duplicates(
    tx: &mut SqliteConnection,
    version: &NewVersion,
) -> Result<(), StoreError> {
    let same_hash = sqlx::query(&format!(
        "SELECT {VERSION_COLUMNS} FROM list_versions WHERE dataset = ? AND content_hash = ?"
    ))
    .bind(&version.dataset)
    .bind(&version.content_hash)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(row) = same_hash {
        let existing = version_from_row(&row)?;
        return Err(StoreError::DuplicateVersion {
            dataset: existing.dataset,
            version: existing.version,
            ingested_at: existing.ingested_at,
        });
    }
    let same_date: Option<i64> =
        sqlx::query_scalar("SELECT id FROM list_versions WHERE dataset = ? AND version = ?")
            .bind(&version.dataset)
            .bind(&version.version)
            .fetch_optional(&mut *tx)
            .await?;
    if same_date.is_some() {
        return Err(StoreError::VersionDateTaken {
            dataset: version.dataset.clone(),
            version: version.version.clone(),
        });
    }
    Ok(())
}

/// Writes a chunk of states (each kept once), the version's pointers to them, and their references.
async fn insert_states(
    tx: &mut SqliteConnection,
    version_id: i64,
    chunk: &[EntityState],
) -> Result<(), StoreError> {
    let mut states = QueryBuilder::<Sqlite>::new(
        "INSERT INTO entity_states (hash, dataset, entity_id, schema, statements) ",
    );
    states.push_values(chunk, |mut row, s| {
        row.push_bind(&s.hash[..])
            .push_bind(s.dataset.as_str())
            .push_bind(s.entity_id.as_str())
            .push_bind(s.schema.as_str())
            .push_bind(s.json.as_str());
    });
    states.push(" ON CONFLICT (hash) DO NOTHING");
    states.build().execute(&mut *tx).await?;

    let mut members = QueryBuilder::<Sqlite>::new(
        "INSERT INTO version_entities (version_id, entity_id, schema, state) ",
    );
    members.push_values(chunk, |mut row, s| {
        row.push_bind(version_id)
            .push_bind(s.entity_id.as_str())
            .push_bind(s.schema.as_str())
            .push_bind(&s.hash[..]);
    });
    if let Err(e) = members.build().execute(&mut *tx).await {
        return Err(match e.as_database_error().map(|d| d.kind()) {
            Some(sqlx::error::ErrorKind::UniqueViolation) => {
                twice_in_version(tx, version_id, chunk).await?
            }
            _ => e.into(),
        });
    }

    let refs: Vec<(&str, &str)> = chunk
        .iter()
        .flat_map(|s| s.targets.iter().map(|t| (t.as_str(), s.entity_id.as_str())))
        .collect();
    for part in refs.chunks(ROWS_PER_INSERT) {
        let mut insert =
            QueryBuilder::<Sqlite>::new("INSERT INTO entity_refs (version_id, target, source) ");
        insert.push_values(part, |mut row, (target, source)| {
            row.push_bind(version_id)
                .push_bind(*target)
                .push_bind(*source);
        });
        insert.build().execute(&mut *tx).await?;
    }
    Ok(())
}

/// The error for an id already written earlier in the same version, naming it.
async fn twice_in_version(
    tx: &mut SqliteConnection,
    version_id: i64,
    chunk: &[EntityState],
) -> Result<StoreError, StoreError> {
    let mut query =
        QueryBuilder::<Sqlite>::new("SELECT entity_id FROM version_entities WHERE version_id = ");
    query.push_bind(version_id).push(" AND entity_id IN (");
    let mut list = query.separated(", ");
    for state in chunk {
        list.push_bind(state.entity_id.as_str());
    }
    query.push(") LIMIT 1");
    let id: Option<String> = query.build_query_scalar().fetch_optional(&mut *tx).await?;
    Ok(StoreError::Invalid(format!(
        "entity {} appears twice in one version",
        id.as_deref().unwrap_or("?")
    )))
}

fn hash16(bytes: Vec<u8>) -> Result<[u8; 16], StoreError> {
    bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt("state hash is not 16 bytes".into()))
}

fn state_row(row: &SqliteRow) -> Result<StateRow, StoreError> {
    Ok(StateRow {
        entity_id: row.try_get(0)?,
        dataset: row.try_get(1)?,
        version: row.try_get(2)?,
        hash: hash16(row.try_get(3)?)?,
        schema: row.try_get(4)?,
        json: row.try_get(5)?,
    })
}

fn version_from_row(row: &SqliteRow) -> Result<ListVersion, StoreError> {
    let files: String = row.try_get("files")?;
    Ok(ListVersion {
        id: row.try_get("id")?,
        dataset: row.try_get("dataset")?,
        version: row.try_get("version")?,
        content_hash: row.try_get("content_hash")?,
        entity_count: row.try_get::<i64, _>("entity_count")? as u64,
        statement_count: row.try_get::<i64, _>("statement_count")? as u64,
        warning_count: row.try_get::<i64, _>("warning_count")? as u64,
        files: serde_json::from_str(&files)
            .map_err(|e| StoreError::Corrupt(format!("list_versions.files: {e}")))?,
        ingested_at: row.try_get("ingested_at")?,
    })
}
