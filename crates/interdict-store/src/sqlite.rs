//! The embedded backend: one SQLite file in WAL mode.

use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use futures::TryStreamExt;
use interdict_model::{Label, PropType, Provenance, Statement, StatementId};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::types::{ImportProgress, ListVersion, NewVersion, Summary};
use crate::{Store, StoreError};

/// SQLite allows 32,766 bound parameters in one statement; rows per insert stay under it.
const STATEMENT_ROWS_PER_INSERT: usize = 2_900;
const MEMBER_ROWS_PER_INSERT: usize = 16_000;

const STATEMENT_COLUMNS: &str = "s.id, s.dataset, s.entity_id, s.schema, s.prop, s.prop_type, \
     s.value, s.source_id, s.label, s.first_seen, s.last_seen";

/// A store in one SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
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
            .pragma("cache_size", "-65536");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Open {
                path: path.display().to_string(),
                source,
            })?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(SqliteStore { pool })
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

    async fn refuse_duplicates(
        tx: &mut sqlx::SqliteConnection,
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
}

const VERSION_COLUMNS: &str = "id, dataset, version, content_hash, entity_count, statement_count, \
     warning_count, files, ingested_at";

#[async_trait]
impl Store for SqliteStore {
    async fn import_version(
        &self,
        version: &NewVersion,
        statements: &[Statement],
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> Result<ListVersion, StoreError> {
        let mut sorted: Vec<&Statement> = statements.iter().collect();
        // Sorted inserts append to the primary-key B-tree instead of splitting pages at random.
        sorted.sort_unstable_by_key(|s| s.id);
        sorted.dedup_by_key(|s| s.id);
        let ingested_at = OffsetDateTime::now_utc()
            .format(&Rfc3339)
            .expect("UTC formats");
        let files = serde_json::to_string(&version.files).expect("strings serialize");

        let mut tx = self.pool.begin().await?;
        Self::refuse_duplicates(&mut tx, version).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO list_versions (dataset, version, content_hash, entity_count, \
             statement_count, warning_count, files, ingested_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&version.dataset)
        .bind(&version.version)
        .bind(&version.content_hash)
        .bind(version.entity_count as i64)
        .bind(sorted.len() as i64)
        .bind(version.warning_count as i64)
        .bind(&files)
        .bind(&ingested_at)
        .fetch_one(&mut *tx)
        .await?;

        let total = sorted.len() as u64;
        let mut written = 0u64;
        for chunk in sorted.chunks(STATEMENT_ROWS_PER_INSERT) {
            upsert_statements(&mut tx, chunk).await?;
            written += chunk.len() as u64;
            progress(ImportProgress { written, total });
        }
        for chunk in sorted.chunks(MEMBER_ROWS_PER_INSERT) {
            let mut insert = QueryBuilder::<Sqlite>::new(
                "INSERT INTO version_statements (version_id, statement_id) ",
            );
            insert.push_values(chunk, |mut row, s| {
                row.push_bind(id).push_bind(&s.id.0[..]);
            });
            insert.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(ListVersion {
            id,
            dataset: version.dataset.clone(),
            version: version.version.clone(),
            content_hash: version.content_hash.clone(),
            entity_count: version.entity_count,
            statement_count: total,
            warning_count: version.warning_count,
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
            "SELECT {STATEMENT_COLUMNS} FROM version_statements v \
             JOIN statements s ON s.id = v.statement_id WHERE v.version_id = ?"
        ))
        .bind(version_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(statement_from_row).collect()
    }

    async fn entity_statements(&self, entity_id: &str) -> Result<Vec<Statement>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {STATEMENT_COLUMNS} FROM current_statements s WHERE s.entity_id = ? \
             ORDER BY s.prop, s.dataset, s.value"
        ))
        .bind(entity_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(statement_from_row).collect()
    }

    async fn referencing_statements(&self, entity_id: &str) -> Result<Vec<Statement>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {STATEMENT_COLUMNS} FROM current_statements s \
             WHERE s.prop_type = 'entity' AND s.value = ? ORDER BY s.schema, s.entity_id"
        ))
        .bind(entity_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(statement_from_row).collect()
    }

    async fn each_current_statement(
        &self,
        sink: &mut (dyn FnMut(Statement) -> Result<(), StoreError> + Send),
    ) -> Result<(), StoreError> {
        let sql = format!(
            "SELECT {STATEMENT_COLUMNS} FROM current_statements s ORDER BY s.entity_id, s.prop"
        );
        let mut rows = sqlx::query(&sql).fetch(&self.pool);
        while let Some(row) = rows.try_next().await? {
            sink(statement_from_row(&row)?)?;
        }
        Ok(())
    }

    async fn summary(&self) -> Result<Summary, StoreError> {
        let counts = |sql: &'static str| async move {
            let rows: Vec<(String, i64)> = sqlx::query_as(sql).fetch_all(&self.pool).await?;
            Ok::<_, StoreError>(rows.into_iter().map(|(k, n)| (k, n as u64)).collect())
        };
        let (entities, statements): (i64, i64) =
            sqlx::query_as("SELECT COUNT(DISTINCT entity_id), COUNT(*) FROM current_statements")
                .fetch_one(&self.pool)
                .await?;
        Ok(Summary {
            entities: entities as u64,
            statements: statements as u64,
            by_schema: counts(
                "SELECT schema, COUNT(DISTINCT entity_id) FROM current_statements GROUP BY schema",
            )
            .await?,
            by_dataset: counts(
                "SELECT dataset, COUNT(DISTINCT value) FROM current_statements \
                 WHERE schema = 'Sanction' AND prop = 'entity' GROUP BY dataset",
            )
            .await?,
            by_program: counts(
                "SELECT p.value, COUNT(DISTINCT e.value) FROM current_statements p \
                 JOIN current_statements e ON e.entity_id = p.entity_id AND e.prop = 'entity' \
                 WHERE p.schema = 'Sanction' AND p.prop = 'program' GROUP BY p.value",
            )
            .await?,
        })
    }
}

async fn upsert_statements(
    tx: &mut sqlx::SqliteConnection,
    chunk: &[&Statement],
) -> Result<(), StoreError> {
    let mut insert = QueryBuilder::<Sqlite>::new(
        "INSERT INTO statements (id, dataset, entity_id, schema, prop, prop_type, value, \
         source_id, label, first_seen, last_seen) ",
    );
    insert.push_values(chunk, |mut row, s| {
        row.push_bind(&s.id.0[..])
            .push_bind(&s.provenance.dataset)
            .push_bind(&s.entity_id)
            .push_bind(&s.schema)
            .push_bind(&s.prop)
            .push_bind(s.prop_type.as_str())
            .push_bind(&s.value)
            .push_bind(&s.provenance.source_id)
            .push_bind(s.label.as_str())
            .push_bind(&s.provenance.first_seen)
            .push_bind(&s.provenance.last_seen);
    });
    // A fact seen before keeps one row; its seen-range widens to cover this version,
    // and the source record follows the newest version that holds it.
    insert.push(
        " ON CONFLICT (id) DO UPDATE SET \
         first_seen = MIN(statements.first_seen, excluded.first_seen), \
         source_id = CASE WHEN excluded.last_seen >= statements.last_seen \
                     THEN excluded.source_id ELSE statements.source_id END, \
         last_seen = MAX(statements.last_seen, excluded.last_seen)",
    );
    insert.build().execute(&mut *tx).await?;
    Ok(())
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

fn statement_from_row(row: &SqliteRow) -> Result<Statement, StoreError> {
    let id: Vec<u8> = row.try_get("id")?;
    let id: [u8; 16] = id
        .try_into()
        .map_err(|_| StoreError::Corrupt("statement id is not 16 bytes".into()))?;
    let prop_type: String = row.try_get("prop_type")?;
    Ok(Statement {
        id: StatementId(id),
        entity_id: row.try_get("entity_id")?,
        schema: row.try_get("schema")?,
        prop: row.try_get("prop")?,
        prop_type: PropType::parse(&prop_type)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown property type {prop_type:?}")))?,
        value: row.try_get("value")?,
        provenance: Provenance {
            dataset: row.try_get("dataset")?,
            source_id: row.try_get("source_id")?,
            first_seen: row.try_get("first_seen")?,
            last_seen: row.try_get("last_seen")?,
        },
        label: Label::new(row.try_get::<String, _>("label")?),
    })
}
