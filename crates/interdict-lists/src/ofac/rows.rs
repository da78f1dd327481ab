//! Reading OFAC's headerless CSV files into rows: one row per line, fields
//! trimmed, `-0-` read as empty, every problem located by file, line, ent_num
//! and column.

use std::io::Cursor;

use csv::{ByteRecord, Position, Reader, ReaderBuilder};
use interdict_model::entity::MAX_VALUE_LEN;

use super::Log;
use crate::error::{ListError, Location};
use crate::input::InputFile;

/// Columns of sdn.csv and cons_prim.csv.
pub(super) mod sdn {
    pub const COLUMNS: &[&str] = &[
        "ent_num",
        "SDN_Name",
        "SDN_Type",
        "Program",
        "Title",
        "Call_Sign",
        "Vess_type",
        "Tonnage",
        "GRT",
        "Vess_flag",
        "Vess_owner",
        "Remarks",
    ];
    pub const NAME: usize = 1;
    pub const TYPE: usize = 2;
    pub const PROGRAM: usize = 3;
    pub const TITLE: usize = 4;
    pub const CALL_SIGN: usize = 5;
    pub const VESS_TYPE: usize = 6;
    pub const TONNAGE: usize = 7;
    pub const GRT: usize = 8;
    pub const VESS_FLAG: usize = 9;
    pub const VESS_OWNER: usize = 10;
    pub const REMARKS: usize = 11;
}

/// Columns of alt.csv.
pub(super) mod alt {
    pub const COLUMNS: &[&str] = &["ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks"];
    pub const NUM: usize = 1;
    pub const TYPE: usize = 2;
    pub const NAME: usize = 3;
    pub const REMARKS: usize = 4;
}

/// Columns of add.csv.
pub(super) mod add {
    pub const COLUMNS: &[&str] = &[
        "ent_num",
        "add_num",
        "address",
        "City/State/Province/Postal Code",
        "country",
        "add_remarks",
    ];
    pub const NUM: usize = 1;
    pub const ADDRESS: usize = 2;
    pub const PLACE: usize = 3;
    pub const COUNTRY: usize = 4;
    pub const REMARKS: usize = 5;
}

/// Columns of sdn_comments.csv.
pub(super) mod comments {
    pub const COLUMNS: &[&str] = &["ent_num", "Remarks_Extended"];
    pub const REMARKS: usize = 1;
}

/// OFAC ends its files with a DOS end-of-file byte (Ctrl-Z).
const EOF_BYTE: u8 = 0x1a;

/// The rows of one file. Their text sits in one buffer, so a file costs a few
/// allocations rather than a few per row.
#[derive(Debug, Default)]
pub(super) struct Table {
    text: String,
    /// Byte ranges of the fields in `text`, `width` per row.
    spans: Vec<(u32, u32)>,
    width: usize,
    /// (line, ent_num) per row.
    heads: Vec<(u64, u64)>,
}

impl Table {
    pub(super) fn len(&self) -> usize {
        self.heads.len()
    }

    pub(super) fn row(&self, index: usize) -> Row<'_> {
        let (line, ent_num) = self.heads[index];
        Row {
            line,
            ent_num,
            table: self,
            index,
        }
    }

    pub(super) fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        (0..self.len()).map(|i| self.row(i))
    }

    /// Appends a checked record's fields.
    fn push<'f>(&mut self, line: u64, ent_num: u64, fields: impl Iterator<Item = &'f str>) {
        for field in fields {
            let start = self.text.len() as u32;
            self.text.push_str(field);
            self.spans.push((start, self.text.len() as u32));
        }
        self.heads.push((line, ent_num));
    }
}

/// One CSV row: its line, its ent_num and its fields as written.
#[derive(Debug, Clone, Copy)]
pub(super) struct Row<'t> {
    pub line: u64,
    pub ent_num: u64,
    table: &'t Table,
    index: usize,
}

impl<'t> Row<'t> {
    /// The field in column `col`, trimmed; `None` when it is empty or null (`-0-`).
    pub(super) fn get(&self, col: usize) -> Option<&'t str> {
        let field = self.raw_field(col)?.trim();
        (!field.is_empty() && field != "-0-").then_some(field)
    }

    /// The field untrimmed, for text OFAC cut in two: the cut can fall beside a space.
    pub(super) fn raw(&self, col: usize) -> &'t str {
        match self.get(col) {
            Some(_) => self.raw_field(col).unwrap_or_default(),
            None => "",
        }
    }

    /// The row's position in its table.
    pub(super) fn index(&self) -> usize {
        self.index
    }

    fn raw_field(&self, col: usize) -> Option<&'t str> {
        let table = self.table;
        if col >= table.width {
            return None;
        }
        let (start, end) = table.spans[self.index * table.width + col];
        Some(&table.text[start as usize..end as usize])
    }
}

/// Some rows of a table, by index.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Rows<'t> {
    table: Option<&'t Table>,
    indices: &'t [u32],
}

impl<'t> Rows<'t> {
    pub(super) fn new(table: &'t Table, indices: &'t [u32]) -> Self {
        Rows {
            table: Some(table),
            indices,
        }
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = Row<'t>> + use<'t> {
        let table = self.table;
        self.indices
            .iter()
            .filter_map(move |i| Some(table?.row(*i as usize)))
    }
}

/// Reads every row of a file with the given columns. A bad row is an error, or
/// with `skip_bad_records` a warning and skipped.
pub(super) fn read(file: &InputFile, columns: &[&str], log: &mut Log) -> Result<Table, ListError> {
    let bytes = content(&file.bytes);
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(Cursor::new(bytes));
    let mut record = ByteRecord::new();
    let mut table = Table {
        width: columns.len(),
        ..Table::default()
    };
    table.text.reserve(bytes.len());
    let mut lines = Lines::default();
    loop {
        let before = reader.position().clone();
        let read = reader.read_byte_record(&mut record);
        let byte = record
            .position()
            .filter(|_| read.is_ok())
            .map_or(before.byte(), Position::byte);
        let at = lines.start(bytes, byte);
        let problem = match read {
            Ok(false) => break,
            Ok(true) if spans_lines(&record) => unclosed_quote(file, &record, at.line, columns),
            Ok(true) => match push_row(&mut table, file, bytes, &record, at, columns) {
                Ok(()) => continue,
                Err(e) => e,
            },
            Err(e) => csv_error(file, at.line, &e),
        };
        log.reject(problem)?;
        // The record may have run on past its line; go on at the next one.
        resync(&mut reader, bytes, at).map_err(|e| csv_error(file, at.line, &e))?;
    }
    Ok(table)
}

/// Where a record starts: its byte offset and its 1-based line.
#[derive(Debug, Clone, Copy)]
struct Start {
    byte: usize,
    line: u64,
}

/// Line numbers from byte offsets, counted forward as records are read. The csv
/// crate's own count lags on CRLF files: a record starts at the `\n` before it.
#[derive(Debug, Default)]
struct Lines {
    byte: usize,
    newlines: u64,
}

impl Lines {
    /// The start of the record the csv crate says starts at `byte`: past any line
    /// break, with its line number.
    fn start(&mut self, bytes: &[u8], byte: u64) -> Start {
        let mut byte = (byte as usize).min(bytes.len());
        while bytes.get(byte).is_some_and(|b| *b == b'\r' || *b == b'\n') {
            byte += 1;
        }
        if byte < self.byte {
            *self = Lines::default();
        }
        self.newlines += bytes[self.byte..byte]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        self.byte = byte;
        Start {
            byte,
            line: self.newlines + 1,
        }
    }
}

/// The bytes without a leading UTF-8 byte order mark and trailing Ctrl-Z bytes.
fn content(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let end = bytes
        .iter()
        .rposition(|b| *b != EOF_BYTE)
        .map_or(0, |i| i + 1);
    &bytes[..end]
}

/// A record over several lines: OFAC fields hold no line breaks, so a quote
/// was left open and swallowed the lines after it.
fn spans_lines(record: &ByteRecord) -> bool {
    record
        .iter()
        .any(|f| f.contains(&b'\n') || f.contains(&b'\r'))
}

/// Continues reading at the line after the one `at` starts, so one broken line
/// costs one row.
fn resync(reader: &mut Reader<Cursor<&[u8]>>, bytes: &[u8], at: Start) -> csv::Result<()> {
    let next = bytes[at.byte..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |i| at.byte + i + 1);
    let mut pos = Position::new();
    pos.set_byte(next as u64).set_line(at.line + 1);
    reader.seek(pos)
}

/// Checks one record and adds it to the table.
fn push_row(
    table: &mut Table,
    file: &InputFile,
    bytes: &[u8],
    record: &ByteRecord,
    start: Start,
    columns: &[&str],
) -> Result<(), ListError> {
    let at = Location::file(&file.name).line(start.line);
    let ent_num = ent_num(record.get(0).unwrap_or_default())
        .ok_or_else(|| bad_ent_num(at.clone(), record))?;
    let at = || {
        Location::file(&file.name)
            .line(start.line)
            .record(format!("ent_num {ent_num}"))
    };
    if record.len() != columns.len() {
        let message = format!("expected {} fields, found {}", columns.len(), record.len());
        return Err(ListError::malformed(at(), message));
    }
    for (i, raw) in record.iter().enumerate() {
        let field = std::str::from_utf8(raw)
            .map_err(|_| encoding_error(at().field(columns[i]), bytes, start.byte))?;
        if field.trim().len() > MAX_VALUE_LEN {
            let message = format!(
                "value is {} bytes, over the limit of {MAX_VALUE_LEN}",
                field.len()
            );
            return Err(ListError::malformed(at().field(columns[i]), message));
        }
        // OFAC never escapes quotes, so one inside a parsed field means the quoting broke
        // (`"BANCO "NACIONAL" DE CUBA` would otherwise be read as a mangled name).
        if raw.contains(&b'"') {
            let message = "stray double quote: the field's quoting is broken";
            return Err(ListError::malformed(at().field(columns[i]), message));
        }
    }
    // Checked above: every field is UTF-8.
    let fields = record
        .iter()
        .map(|raw| std::str::from_utf8(raw).unwrap_or_default());
    table.push(start.line, ent_num, fields);
    Ok(())
}

/// A positive integer, written in ASCII digits.
fn ent_num(raw: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(raw).ok()?.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|n| *n > 0)
}

fn bad_ent_num(at: Location, record: &ByteRecord) -> ListError {
    let raw = String::from_utf8_lossy(record.get(0).unwrap_or_default());
    let shown: String = raw.trim().chars().take(40).collect();
    ListError::malformed(
        at.field("ent_num"),
        format!("ent_num {shown:?} is not a positive integer"),
    )
}

/// The exact byte offset of the first invalid byte, found in the raw line.
fn encoding_error(at: Location, bytes: &[u8], start: usize) -> ListError {
    let start = start.min(bytes.len());
    let end = bytes[start..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |i| start + i);
    let valid = std::str::from_utf8(&bytes[start..end])
        .err()
        .map_or(0, |e| e.valid_up_to());
    ListError::Encoding {
        location: at,
        offset: (start + valid) as u64,
    }
}

fn unclosed_quote(file: &InputFile, record: &ByteRecord, line: u64, columns: &[&str]) -> ListError {
    let mut at = Location::file(&file.name).line(line);
    if let Some(n) = ent_num(record.get(0).unwrap_or_default()) {
        at = at.record(format!("ent_num {n}"));
    }
    let col = record
        .iter()
        .position(|f| f.contains(&b'\n') || f.contains(&b'\r'));
    if let Some(name) = col.and_then(|i| columns.get(i)) {
        at = at.field(*name);
    }
    ListError::malformed(
        at,
        "quoted field runs past the end of its line (unbalanced quote)",
    )
}

/// A csv error, at the line of the record it happened in.
fn csv_error(file: &InputFile, line: u64, e: &csv::Error) -> ListError {
    let at = Location::file(&file.name).line(line);
    ListError::malformed(at, format!("unreadable CSV: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::ParseOptions;

    fn read_str(text: &'static str, skip: bool) -> (Result<Table, ListError>, Log) {
        let mut log = Log::new(&ParseOptions {
            skip_bad_records: skip,
        });
        let file = InputFile::new("alt.csv", text.as_bytes());
        (read(&file, alt::COLUMNS, &mut log), log)
    }

    #[test]
    fn nulls_trailing_spaces_crlf_and_eof_byte() {
        let (rows, log) = read_str(
            "36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n173,57,\"aka\",\"AVIA IMPORT\",-0- \r\n\x1a",
            false,
        );
        let table = rows.unwrap();
        assert!(log.warnings.is_empty());
        assert_eq!(table.len(), 2);
        assert_eq!((table.row(1).line, table.row(1).ent_num), (2, 173));
        assert_eq!(table.row(0).get(alt::NAME), Some("AERO-CARIBBEAN"));
        assert_eq!(table.row(0).get(alt::REMARKS), None);
        assert_eq!(table.row(0).raw(alt::REMARKS), "");
    }

    #[test]
    fn an_open_quote_costs_one_line_when_skipping() {
        let text = "36,12,\"aka,AERO,-0- \n173,57,\"aka\",\"AVIA IMPORT\",-0- \n306,220,\"aka\",\"BNC\",-0- \n";
        let (err, _) = read_str(text, false);
        let err = err.unwrap_err().to_string();
        assert!(
            err.starts_with("alt.csv:1 (ent_num 36) field alt_type"),
            "{err}"
        );
        let (rows, log) = read_str(text, true);
        let ents: Vec<u64> = rows.unwrap().rows().map(|r| r.ent_num).collect();
        assert_eq!(ents, [173, 306]);
        assert_eq!(log.warnings.len(), 1);
    }
}
