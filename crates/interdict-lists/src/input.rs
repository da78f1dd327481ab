//! Inputs as parsers see them: named byte buffers, read whole.

use std::borrow::Cow;

use interdict_model::Entity;

use crate::error::{ListError, Location, Warning};

/// The largest input file a parser accepts (a list is a few MB; 1 GiB is absurd).
pub const MAX_FILE_LEN: u64 = 1 << 30;

/// One input file: its display name (used in every error) and its bytes.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub name: String,
    pub bytes: Cow<'static, [u8]>,
}

impl InputFile {
    pub fn new(name: impl Into<String>, bytes: impl Into<Cow<'static, [u8]>>) -> Self {
        InputFile {
            name: name.into(),
            bytes: bytes.into(),
        }
    }

    /// The file as text; invalid UTF-8 is an error naming the line.
    pub fn text(&self) -> Result<&str, ListError> {
        std::str::from_utf8(&self.bytes).map_err(|e| {
            let offset = e.valid_up_to();
            let line = 1 + self.bytes[..offset].iter().filter(|b| **b == b'\n').count() as u64;
            ListError::Encoding {
                location: Location::file(&self.name).line(line),
                offset: offset as u64,
            }
        })
    }
}

/// The file part of an input's display name (`bundled:x/alt.csv` → `alt.csv`): what
/// source record ids are made of, so they do not change with where a file was read from.
pub fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\', ':']).next().unwrap_or(name)
}

/// How strict a parse is.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions {
    /// Skip a malformed record and report it, instead of failing the whole parse.
    pub skip_bad_records: bool,
}

/// What a parser made of its input.
#[derive(Debug, Default)]
pub struct ParsedList {
    /// Entities in input order; one id appears once.
    pub entities: Vec<Entity>,
    /// Records or values that were passed over, each with its location.
    pub warnings: Vec<Warning>,
    /// The publication date found in the input itself, where the format holds one (ISO `YYYY-MM-DD`).
    pub published: Option<String>,
}
