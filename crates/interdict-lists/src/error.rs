use std::fmt;

use thiserror::Error;

/// Where in an input a problem is: the file, and where known the line, element and field.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Location {
    pub file: String,
    /// 1-based line number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// A record or element, e.g. `ent_num 6861` or `INDIVIDUAL[3]/INDIVIDUAL_ALIAS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// A column or property, e.g. `Remarks` or `ALIAS_NAME`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl Location {
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            ..Default::default()
        }
    }

    pub fn line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    pub fn record(mut self, record: impl Into<String>) -> Self {
        self.record = Some(record.into());
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(record) = &self.record {
            write!(f, " ({record})")?;
        }
        if let Some(field) = &self.field {
            write!(f, " field {field}")?;
        }
        Ok(())
    }
}

/// A problem that stops a parse: nothing of the input is used.
#[derive(Debug, Error)]
pub enum ListError {
    #[error("{location}: {message}")]
    Malformed { location: Location, message: String },
    #[error("{location}: not valid UTF-8 (byte offset {offset})")]
    Encoding { location: Location, offset: u64 },
    #[error("{0}: cannot tell the list format; name it with --format")]
    UnknownFormat(String),
    /// The entities' receiver gave up (a store refusing the import, say); its error says why.
    #[error("reading stopped: {0}")]
    Stopped(String),
    #[error("{file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
}

impl ListError {
    pub fn malformed(location: Location, message: impl Into<String>) -> Self {
        ListError::Malformed {
            location,
            message: message.into(),
        }
    }
}

/// A problem that was reported and passed over: the record or value named was skipped.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    pub location: Location,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}
