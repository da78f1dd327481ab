//! Readers: files and streams in the formats monitoring takes, turned into [`Txn`]s.
//!
//! Each reader hands back one row at a time; a row it cannot read is an error naming the
//! line and field, which the caller counts and reports, and the reading goes on.

use std::io::BufRead;

use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::txn::{Channel, Names, Segment, Txn, days_from_civil};

/// The formats `interdict monitor` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// IBM AMLworld CSV (`Timestamp,From Bank,Account,To Bank,Account,…,Is Laundering`).
    AmlWorld,
    /// AMLSim's sample form: `sourceNodeId,targetNodeId,value,time` (time is a day step).
    AmlSim,
    /// AMLSim's transaction log: `tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id`.
    AmlSimTx,
    /// interdict's own JSON lines.
    Jsonl,
}

impl Format {
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "amlworld" => Self::AmlWorld,
            "amlsim" => Self::AmlSim,
            "amlsim-tx" => Self::AmlSimTx,
            "jsonl" => Self::Jsonl,
            _ => return None,
        })
    }

    /// The header a CSV format must start with.
    fn header(self) -> Option<&'static [&'static str]> {
        match self {
            Self::AmlWorld => Some(&[
                "Timestamp",
                "From Bank",
                "Account",
                "To Bank",
                "Account",
                "Amount Received",
                "Receiving Currency",
                "Amount Paid",
                "Payment Currency",
                "Payment Format",
                "Is Laundering",
            ]),
            Self::AmlSim => Some(&["sourceNodeId", "targetNodeId", "value", "time"]),
            Self::AmlSimTx => Some(&[
                "tran_id",
                "orig_acct",
                "bene_acct",
                "tx_type",
                "base_amt",
                "tran_timestamp",
                "is_sar",
                "alert_id",
            ]),
            Self::Jsonl => None,
        }
    }
}

/// A row that could not be read: where, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error("line {line}{}: {message}", field.as_ref().map(|f| format!(" field {f}")).unwrap_or_default())]
pub struct RowError {
    pub line: u64,
    pub field: Option<String>,
    pub message: String,
}

impl RowError {
    fn new(line: u64, field: impl Into<Option<String>>, message: impl Into<String>) -> Self {
        Self {
            line,
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A transaction amount above this many units is refused as absurd (a trillion).
pub const MAX_UNITS: i64 = 1_000_000_000_000;

/// The longest line read; longer ones are refused, not buffered.
pub const MAX_LINE: usize = 64 * 1024;

/// The start of AMLSim's clock: step 0 is this day (AMLSim's own default start date).
pub const AMLSIM_EPOCH_DAYS: i64 = 17_167; // 2017-01-01

/// Reads one format from a byte stream, a row at a time.
pub struct Reader<R> {
    input: R,
    /// A line that runs past the input buffer's end, copied out.
    buf: Vec<u8>,
    /// Bytes known to lie in the input's buffer past the last line taken: reading ahead
    /// looks there only, so it never waits for input.
    buffered: usize,
    lines: Lines,
}

impl<R: BufRead> Reader<R> {
    pub fn new(input: R, format: Format) -> Self {
        Self {
            input,
            buf: Vec::with_capacity(256),
            buffered: 0,
            lines: Lines {
                format,
                line: 0,
                fields: Vec::with_capacity(16),
                key: String::new(),
                header_read: format.header().is_none(),
            },
        }
    }

    /// The next transaction, a row error, or `None` at the end. An I/O error ends the
    /// reading and is returned as a row error on the line it happened.
    pub fn next_txn(&mut self, names: &mut Names) -> Option<Result<Txn, RowError>> {
        loop {
            let Self {
                input,
                buf,
                buffered,
                lines,
            } = self;
            // Nearly every line lies whole in the input's buffer: it is read there, not
            // copied out. One that runs past the buffer's end takes the way below.
            *buffered = 0;
            match input.fill_buf() {
                Ok(available) => {
                    if let Some(end) = newline(available).filter(|&end| end <= MAX_LINE) {
                        lines.line += 1;
                        let taken = lines.take(&available[..end], names);
                        lines.hint(&available[end + 1..], names);
                        *buffered = available.len() - (end + 1);
                        input.consume(end + 1);
                        match taken {
                            Some(taken) => return Some(taken),
                            None => continue,
                        }
                    }
                }
                Err(e) if e.kind() != std::io::ErrorKind::Interrupted => {
                    lines.line += 1;
                    return Some(Err(RowError::new(lines.line, None, e.to_string())));
                }
                Err(_) => {}
            }
            buf.clear();
            let read = std::io::Read::take(&mut *input, MAX_LINE as u64 + 1).read_until(b'\n', buf);
            lines.line += 1;
            match read {
                Ok(0) => return None,
                Err(e) => return Some(Err(RowError::new(lines.line, None, e.to_string()))),
                Ok(_) => {}
            }
            if buf.len() > MAX_LINE && !buf.ends_with(b"\n") {
                // Skip the rest of the over-long line.
                let mut rest = Vec::new();
                let _ = input.read_until(b'\n', &mut rest);
                return Some(Err(RowError::new(
                    lines.line,
                    None,
                    format!("line longer than {MAX_LINE} bytes"),
                )));
            }
            if let Some(taken) = lines.take(buf, names) {
                return Some(taken);
            }
        }
    }
}

impl<R: BufRead> Reader<R> {
    /// The next transaction or row error as [`Reader::next_txn`] gives it, but only if its
    /// line already lies whole in the input's buffer: `None` when reading it would mean
    /// waiting for input (or at the end), and [`Reader::next_txn`] then reads on. A live
    /// stream's rows are so never held back waiting for the next one.
    pub fn next_buffered(&mut self, names: &mut Names) -> Option<Result<Txn, RowError>> {
        while self.buffered > 0 {
            // The buffer holds bytes, so this reads nothing.
            let available = self.input.fill_buf().ok()?;
            let end = newline(available).filter(|&end| end <= MAX_LINE)?;
            self.lines.line += 1;
            let taken = self.lines.take(&available[..end], names);
            self.lines.hint(&available[end + 1..], names);
            self.buffered = available.len() - (end + 1);
            self.input.consume(end + 1);
            if taken.is_some() {
                return taken;
            }
        }
        None
    }
}

/// Where the first line in `bytes` ends, if it does: eight bytes at a time.
fn newline(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    const NEWLINES: u64 = u64::from_le_bytes([b'\n'; 8]);
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes")) ^ NEWLINES;
        // The lowest byte flagged is the first zero byte of `word`, a newline in `chunk`.
        let zeros = word.wrapping_sub(ONES) & !word & HIGHS;
        if zeros != 0 {
            return Some(at + zeros.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    let rest = chunks.remainder().iter().position(|&b| b == b'\n');
    rest.map(|i| at + i)
}

/// What reading one line needs of the reader.
/// What reading lines keeps between them: the format, the line number, the field spans of
/// the line at hand, a scratch key and whether the header was read.
struct Lines {
    format: Format,
    line: u64,
    fields: Vec<(usize, usize)>,
    key: String,
    header_read: bool,
}

impl Lines {
    /// Fetches into cache, while this line is worked on, where the next line's accounts are
    /// interned (`rest` is what follows this line in the buffer). Only AMLworld's accounts,
    /// `bank:account`, are looked at; a key that does not fit is passed over.
    fn hint(&self, rest: &[u8], names: &Names) {
        if self.format != Format::AmlWorld || !self.header_read {
            return;
        }
        // The first five commas, eight bytes at a time, as long as the line lasts.
        let mut commas = [0usize; 5];
        let mut found = 0;
        let mut at = 0;
        for chunk in rest.chunks_exact(8).take(32) {
            let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            let mut marks = bytes_equal(word, b',') | bytes_equal(word, b'\n');
            while marks != 0 {
                let i = at + marks.trailing_zeros() as usize / 8;
                if rest[i] == b'\n' {
                    return;
                }
                commas[found] = i;
                found += 1;
                if found == commas.len() {
                    break;
                }
                marks &= marks - 1;
            }
            if found == commas.len() {
                break;
            }
            at += 8;
        }
        if found < commas.len() {
            return;
        }
        let mut key = [0u8; 64];
        for (bank, account) in [(0, 1), (2, 3)] {
            let bank = &rest[commas[bank] + 1..commas[bank + 1]];
            let account = &rest[commas[account] + 1..commas[account + 1]];
            let len = bank.len() + 1 + account.len();
            if len <= key.len() {
                key[..bank.len()].copy_from_slice(bank);
                key[bank.len()] = b':';
                key[bank.len() + 1..len].copy_from_slice(account);
                names.prefetch_account(&key[..len]);
            }
        }
    }

    /// One line, its end of line still on or not: a row read, or `None` for a blank line or
    /// a good header.
    fn take(&mut self, mut bytes: &[u8], names: &mut Names) -> Option<Result<Txn, RowError>> {
        while let [rest @ .., b'\n' | b'\r'] = bytes {
            bytes = rest;
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        if !self.header_read {
            self.header_read = true;
            return self.check_header(bytes).err().map(Err);
        }
        Some(self.row(bytes, names))
    }

    fn check_header(&self, bytes: &[u8]) -> Result<(), RowError> {
        let want = self.format.header().expect("CSV formats have headers");
        let text = self.text(bytes)?;
        let text = text.trim_start_matches('\u{feff}');
        let got: Vec<&str> = text.split(',').map(str::trim).collect();
        if got != want {
            return Err(RowError::new(
                self.line,
                None,
                format!(
                    "header is {:?}, expected {:?}",
                    truncate(text, 200),
                    want.join(",")
                ),
            ));
        }
        Ok(())
    }

    fn text<'b>(&self, bytes: &'b [u8]) -> Result<&'b str, RowError> {
        std::str::from_utf8(bytes).map_err(|e| {
            RowError::new(
                self.line,
                None,
                format!("not valid UTF-8 at byte {}", e.valid_up_to()),
            )
        })
    }

    fn row(&mut self, bytes: &[u8], names: &mut Names) -> Result<Txn, RowError> {
        match self.format {
            Format::Jsonl => json_txn(self.text(bytes)?, self.line, names),
            format => {
                let want = format.header().map_or(0, <[_]>::len);
                split_csv(bytes, &mut self.fields)
                    .map_err(|m| RowError::new(self.line, None, m))?;
                if self.fields.len() != want {
                    return Err(RowError::new(
                        self.line,
                        None,
                        format!("{} fields, expected {want}", self.fields.len()),
                    ));
                }
                let row = Row {
                    buf: bytes,
                    // A line of valid UTF-8 is checked once, not field by field; a line
                    // that is not has each field checked as it is read, so the error
                    // names the field.
                    text: std::str::from_utf8(bytes).ok(),
                    fields: &self.fields,
                    line: self.line,
                    header: format.header().unwrap_or(&[]),
                };
                match format {
                    Format::AmlWorld => amlworld_row(&row, names, &mut self.key),
                    Format::AmlSim => amlsim_row(&row, names),
                    _ => amlsim_tx_row(&row, names),
                }
            }
        }
    }
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// Splits a CSV line into field ranges; quoted fields keep their quotes out, and a doubled
/// quote inside one is left doubled (no format read here has quotes inside values).
fn split_csv(line: &[u8], fields: &mut Vec<(usize, usize)>) -> Result<(), String> {
    fields.clear();
    if split_plain(line, fields) {
        return Ok(());
    }
    fields.clear();
    let mut start = 0;
    loop {
        if line.get(start) == Some(&b'"') {
            let close = line[start + 1..]
                .iter()
                .position(|&b| b == b'"')
                .ok_or("a quoted field is not closed")?;
            let end = start + 1 + close;
            fields.push((start + 1, end));
            match line.get(end + 1) {
                None => return Ok(()),
                Some(b',') => start = end + 2,
                Some(_) => return Err("text after a closing quote".into()),
            }
            continue;
        }
        match line[start..].iter().position(|&b| b == b',') {
            Some(comma) => {
                fields.push((start, start + comma));
                start += comma + 1;
            }
            None => {
                fields.push((start, line.len()));
                return Ok(());
            }
        }
    }
}

/// Splits a line with no quote in it, the usual case, eight bytes at a time; `false`
/// (with `fields` partly filled) for a line with a quote, which [`split_csv`] then splits.
fn split_plain(line: &[u8], fields: &mut Vec<(usize, usize)>) -> bool {
    let mut start = 0;
    let mut at = 0;
    let mut chunks = line.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        if bytes_equal(word, b'"') != 0 {
            return false;
        }
        let mut commas = bytes_equal(word, b',');
        while commas != 0 {
            let comma = at + commas.trailing_zeros() as usize / 8;
            fields.push((start, comma));
            start = comma + 1;
            commas &= commas - 1;
        }
        at += 8;
    }
    for (i, &b) in chunks.remainder().iter().enumerate() {
        match b {
            b'"' => return false,
            b',' => {
                fields.push((start, at + i));
                start = at + i + 1;
            }
            _ => {}
        }
    }
    fields.push((start, line.len()));
    true
}

/// The high bit of each byte of `word` that equals `byte`, and no other bit: no carry
/// runs from one byte into the next, so every byte is told exactly.
fn bytes_equal(word: u64, byte: u8) -> u64 {
    const LOWS: u64 = u64::from_le_bytes([0x7f; 8]);
    let v = word ^ u64::from_le_bytes([byte; 8]);
    !(((v & LOWS) + LOWS) | v | LOWS)
}

/// One split CSV row, with what it takes to name a bad field.
struct Row<'a> {
    buf: &'a [u8],
    /// The whole line, when it is valid UTF-8.
    text: Option<&'a str>,
    fields: &'a [(usize, usize)],
    line: u64,
    header: &'a [&'static str],
}

impl Row<'_> {
    fn get(&self, i: usize) -> Result<&str, RowError> {
        let (a, b) = self.fields[i];
        if let Some(field) = self.text.and_then(|t| t.get(a..b)) {
            return Ok(trim(field));
        }
        std::str::from_utf8(&self.buf[a..b])
            .map(str::trim)
            .map_err(|_| self.bad(i, "not valid UTF-8"))
    }

    fn bad(&self, i: usize, message: impl Into<String>) -> RowError {
        let field = self.header.get(i).map(|h| match (h, i) {
            (&"Account", 2) => "Account (from)".to_string(),
            (&"Account", 4) => "Account (to)".to_string(),
            _ => h.to_string(),
        });
        RowError::new(self.line, field, message)
    }

    fn non_empty(&self, i: usize) -> Result<&str, RowError> {
        match self.get(i)? {
            "" => Err(self.bad(i, "empty")),
            v => Ok(v),
        }
    }

    fn amount(&self, i: usize) -> Result<i64, RowError> {
        let field = self.get(i)?;
        plain_amount(field.as_bytes())
            .map_or_else(|| parse_amount(field), Ok)
            .map_err(|m| self.bad(i, m))
    }
}

/// `str::trim`, without its scan when the ends are plainly not white space.
fn trim(s: &str) -> &str {
    let plain = |b: Option<&u8>| b.is_some_and(|b| (b'!'..0x80).contains(b));
    let bytes = s.as_bytes();
    if plain(bytes.first()) && plain(bytes.last()) {
        s
    } else {
        s.trim()
    }
}

/// An amount written plainly (digits, perhaps a point and more digits, within
/// [`MAX_UNITS`]) in one pass; `None` for anything else, which [`parse_amount`] reads or
/// refuses with its reason.
fn plain_amount(s: &[u8]) -> Option<i64> {
    let mut units: i64 = 0;
    let mut i = 0;
    while let Some(d) = s.get(i).filter(|b| b.is_ascii_digit()) {
        units = units * 10 + i64::from(d - b'0');
        i += 1;
        if i > 13 {
            return None;
        }
    }
    if i == 0 || units > MAX_UNITS {
        return None;
    }
    let mut micros = 0;
    let mut places = 0;
    if i < s.len() {
        if s[i] != b'.' {
            return None;
        }
        for &d in &s[i + 1..] {
            if !d.is_ascii_digit() {
                return None;
            }
            if places < 6 {
                micros = micros * 10 + i64::from(d - b'0');
                places += 1;
            }
        }
    }
    Some(units * UNIT + micros * 10i64.pow(6 - places))
}

fn amlworld_row(row: &Row, names: &mut Names, key: &mut String) -> Result<Txn, RowError> {
    let at = parse_amlworld_time(row.get(0)?).map_err(|m| row.bad(0, m))?;
    let from_bank = row.non_empty(1)?;
    // Account numbers are unique within a bank only, and the bank is the account's home.
    let mut account = |bank: &str, i: usize| -> Result<u32, RowError> {
        key.clear();
        key.push_str(bank);
        key.push(':');
        key.push_str(row.non_empty(i)?);
        let known = names.account_count();
        let account = names.account(key);
        if i == 2 {
            // The sender's home is read last: it is asked for now, while the rest is read.
            names.prefetch_home(account);
        }
        if names.account_count() > known {
            let home = names.place(bank);
            names.set_home(account, home);
        }
        Ok(account)
    };
    let from = account(from_bank, 2)?;
    let to = account(row.non_empty(3)?, 4)?;
    // The received side is checked like the paid one; the detectors use what was paid.
    row.amount(5)?;
    currency_index(row.non_empty(6)?).ok_or_else(|| row.bad(6, "unknown currency"))?;
    let amount = row.amount(7)?;
    let currency =
        currency_index(row.non_empty(8)?).ok_or_else(|| row.bad(8, "unknown currency"))?;
    let channel =
        Channel::parse(row.get(9)?).ok_or_else(|| row.bad(9, "unknown payment format"))?;
    let laundering = match row.get(10)? {
        "0" => false,
        "1" => true,
        _ => return Err(row.bad(10, "expected 0 or 1")),
    };
    Ok(Txn {
        seq: row.line,
        at,
        from,
        to,
        amount,
        currency: currency_id(names, currency),
        channel,
        // The sender's home is its bank, interned when the account was first read.
        place: Some(names.home(from).unwrap_or_else(|| names.place(from_bank))),
        laundering: Some(laundering),
    })
}

fn amlsim_row(row: &Row, names: &mut Names) -> Result<Txn, RowError> {
    let from = names.account(row.non_empty(0)?);
    let to = names.account(row.non_empty(1)?);
    let amount = row.amount(2)?;
    let step: i64 = row
        .get(3)?
        .parse()
        .ok()
        .filter(|s| (0..=100_000).contains(s))
        .ok_or_else(|| row.bad(3, "not a step number 0..100000"))?;
    Ok(Txn {
        seq: row.line,
        at: (AMLSIM_EPOCH_DAYS + step) * 86_400,
        from,
        to,
        amount,
        currency: currency_id(names, 0),
        channel: Channel::Wire,
        place: None,
        laundering: None,
    })
}

fn amlsim_tx_row(row: &Row, names: &mut Names) -> Result<Txn, RowError> {
    let id = row.non_empty(0)?;
    let from = names.account(row.non_empty(1)?);
    let to = names.account(row.non_empty(2)?);
    let channel = match row.get(3)?.to_ascii_uppercase().as_str() {
        "CASH-IN" | "CASH_IN" | "DEPOSIT" | "CASH" => Channel::Cash,
        "CHECK" | "CHEQUE" => Channel::Cheque,
        "CREDIT" | "CARD" => Channel::Card,
        "WIRE" | "TRANSFER" => Channel::Wire,
        _ => Channel::Other,
    };
    let amount = row.amount(4)?;
    let stamp = row.non_empty(5)?;
    let at = match stamp.parse::<i64>() {
        Ok(step) if (0..=100_000).contains(&step) => (AMLSIM_EPOCH_DAYS + step) * 86_400,
        _ => parse_iso_time(stamp).map_err(|m| row.bad(5, m))?,
    };
    let laundering = match row.get(6)?.to_ascii_lowercase().as_str() {
        "true" | "1" => true,
        "false" | "0" => false,
        _ => return Err(row.bad(6, "expected true or false")),
    };
    if id != row.line.to_string() {
        names.set_txn_id(row.line, id);
    }
    Ok(Txn {
        seq: row.line,
        at,
        from,
        to,
        amount,
        currency: currency_id(names, 0),
        channel,
        place: None,
        laundering: Some(laundering),
    })
}

/// One line of interdict's JSON lines format.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonTxn {
    id: Option<String>,
    timestamp: String,
    from: JsonEnd,
    to: JsonEnd,
    /// A decimal string or number, in `currency`.
    amount: serde_json::Value,
    currency: String,
    channel: String,
    /// Where the money came in or was paid (a branch, a county code such as `US-CA-073`).
    location: Option<String>,
    laundering: Option<bool>,
}

/// One side of a transaction: an account id, or an object with the account and its holder.
#[derive(Deserialize)]
#[serde(untagged)]
enum JsonEnd {
    Account(String),
    Detailed {
        account: String,
        #[serde(default)]
        #[allow(dead_code)]
        party: Option<String>,
        #[serde(default)]
        #[allow(dead_code)]
        name: Option<String>,
        #[serde(default)]
        #[allow(dead_code)]
        bank: Option<String>,
    },
}

impl JsonEnd {
    fn account(&self) -> &str {
        match self {
            Self::Account(a) | Self::Detailed { account: a, .. } => a,
        }
    }
}

/// One transaction in interdict's JSON-lines shape; `line` becomes its `seq` and names it
/// in errors.
pub fn json_txn(text: &str, line: u64, names: &mut Names) -> Result<Txn, RowError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| RowError::new(line, None, e.to_string()))?;
    if !value.is_object() {
        return Err(RowError::new(line, None, "expected a JSON object"));
    }
    let txn: JsonTxn = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let field = (path != ".").then_some(path);
        RowError::new(line, field, e.into_inner().to_string())
    })?;
    let bad = |field: &str, message: &str| RowError::new(line, field.to_string(), message);
    let at = parse_iso_time(&txn.timestamp).map_err(|m| bad("timestamp", &m))?;
    let amount = match &txn.amount {
        serde_json::Value::String(s) => parse_amount(s),
        serde_json::Value::Number(n) => parse_amount(&n.to_string()),
        _ => Err("expected a decimal string or number".into()),
    }
    .map_err(|m| bad("amount", &m))?;
    let currency =
        known_currency(&txn.currency).ok_or_else(|| bad("currency", "unknown currency"))?;
    let channel = Channel::parse(&txn.channel).ok_or_else(|| {
        bad(
            "channel",
            "unknown channel (cash, wire, ach, cheque, card, crypto)",
        )
    })?;
    for (field, end) in [("from", &txn.from), ("to", &txn.to)] {
        if end.account().trim().is_empty() {
            return Err(bad(field, "empty account"));
        }
    }
    if let Some(id) = &txn.id {
        names.set_txn_id(line, id);
    }
    Ok(Txn {
        seq: line,
        at,
        from: names.account(txn.from.account()),
        to: names.account(txn.to.account()),
        amount,
        currency: names.currency(currency),
        channel,
        place: txn.location.as_deref().map(|l| names.place(l)),
        laundering: txn.laundering,
    })
}

/// Reads a customer segment file, CSV with the columns `account` (the id as the
/// transactions give it; `bank:account` for AMLworld) and `segment` (see
/// [`Segment::parse`]); other columns are ignored, and a record is one line. All or nothing:
/// the first bad row is an error naming the file and line, and an account given two segments
/// is one.
pub fn read_segments(input: impl BufRead, file: &str) -> Result<Vec<(String, Segment)>, String> {
    // A line at a time, so that the line an error names is the file's own (a CSV reader
    // counts records, and passes blank lines over).
    let split = |text: &str| -> Result<Vec<String>, String> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut record = csv::StringRecord::new();
        reader.read_record(&mut record).map_err(|e| e.to_string())?;
        Ok(record.iter().map(str::to_string).collect())
    };
    let mut columns: Option<(usize, usize)> = None;
    let mut out = Vec::new();
    let mut seen: FxHashMap<String, Segment> = FxHashMap::default();
    for (n, line) in input.lines().enumerate() {
        let at = n + 1;
        let line = line.map_err(|e| format!("{file}:{at}: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let fields = split(&line).map_err(|e| format!("{file}:{at}: {e}"))?;
        let Some((account, segment)) = columns else {
            let column = |name: &str| fields.iter().position(|h| h.eq_ignore_ascii_case(name));
            let (Some(account), Some(segment)) = (column("account"), column("segment")) else {
                return Err(format!("{file}:{at}: expected columns account and segment"));
            };
            columns = Some((account, segment));
            continue;
        };
        let id = fields.get(account).map_or("", String::as_str);
        if id.is_empty() {
            return Err(format!("{file}:{at}: account is empty"));
        }
        let given = fields.get(segment).map_or("", String::as_str);
        let Some(kind) = Segment::parse(given) else {
            return Err(format!(
                "{file}:{at}: segment {:?} is not person or business",
                truncate(given, 40)
            ));
        };
        match seen.insert(id.to_string(), kind) {
            Some(before) if before != kind => {
                return Err(format!(
                    "{file}:{at}: account {:?} is given as {} and as {}",
                    truncate(id, 80),
                    before.name(),
                    kind.name()
                ));
            }
            Some(_) => {}
            None => out.push((id.to_string(), kind)),
        }
    }
    if columns.is_none() {
        return Err(format!("{file}:1: expected columns account and segment"));
    }
    Ok(out)
}

/// A non-negative decimal in millionths of a unit (places past the sixth are dropped), so
/// crypto amounts keep their precision; refuses absurd sizes.
pub fn parse_amount(s: &str) -> Result<i64, String> {
    let s = s.trim();
    if s.starts_with('-') {
        return Err(format!("negative amount {}", truncate(s, 40)));
    }
    let (units, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(units) || !(frac.is_empty() || digits(frac)) {
        return Err(format!("not an amount: {:?}", truncate(s, 40)));
    }
    let units: i64 = match units.len() {
        0..=13 => units.parse().map_err(|_| "not an amount".to_string())?,
        _ => MAX_UNITS + 1,
    };
    if units > MAX_UNITS {
        return Err(format!(
            "absurd amount {} (over {MAX_UNITS})",
            truncate(s, 40)
        ));
    }
    let mut micros = 0;
    for place in 0..6 {
        micros = micros * 10
            + frac
                .as_bytes()
                .get(place)
                .map_or(0, |b| i64::from(b - b'0'));
    }
    Ok(units * UNIT + micros)
}

/// One unit of currency in the amounts of [`Txn`]: amounts are in millionths.
pub const UNIT: i64 = 1_000_000;

/// `YYYY/MM/DD HH:MM` as AMLworld writes it.
pub fn parse_amlworld_time(s: &str) -> Result<i64, String> {
    let b = s.as_bytes();
    if b.len() != 16 || b[4] != b'/' || b[7] != b'/' || b[10] != b' ' || b[13] != b':' {
        return Err(format!(
            "expected YYYY/MM/DD HH:MM, got {:?}",
            truncate(s, 40)
        ));
    }
    date_time(b, 0, 5, 8, 11, 14, None).ok_or_else(|| format!("no such time {s:?}"))
}

/// RFC 3339 / ISO 8601 in UTC: `YYYY-MM-DDTHH:MM[:SS][.fff](Z|±HH:MM)`, or a date alone.
pub fn parse_iso_time(s: &str) -> Result<i64, String> {
    let b = s.trim().as_bytes();
    let bad = || format!("expected an ISO 8601 time, got {:?}", truncate(s, 40));
    if b.len() == 10 {
        return date_time(b, 0, 5, 8, 0, 0, Some((0, 0))).ok_or_else(bad);
    }
    if b.len() < 16
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b' ')
        || b[13] != b':'
    {
        return Err(bad());
    }
    let mut at = date_time(b, 0, 5, 8, 11, 14, None).ok_or_else(bad)?;
    let mut rest = &b[16..];
    if rest.first() == Some(&b':') && rest.len() >= 3 {
        at += two(&rest[1..3]).filter(|s| *s < 61).ok_or_else(bad)?;
        rest = &rest[3..];
    }
    if rest.first() == Some(&b'.') {
        let n = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        rest = &rest[1 + n..];
    }
    match rest {
        b"" | b"Z" | b"z" => Ok(at),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let offset =
                two(&[*h1, *h2]).ok_or_else(bad)? * 3600 + two(&[*m1, *m2]).ok_or_else(bad)? * 60;
            Ok(if *sign == b'+' {
                at - offset
            } else {
                at + offset
            })
        }
        _ => Err(bad()),
    }
}

fn two(b: &[u8]) -> Option<i64> {
    match b {
        [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
            Some(i64::from(a - b'0') * 10 + i64::from(b - b'0'))
        }
        _ => None,
    }
}

fn date_time(
    b: &[u8],
    y: usize,
    m: usize,
    d: usize,
    h: usize,
    min: usize,
    fixed: Option<(i64, i64)>,
) -> Option<i64> {
    let year = two(&b[y..y + 2])? * 100 + two(&b[y + 2..y + 4])?;
    let month = two(&b[m..m + 2])?;
    let day = two(&b[d..d + 2])?;
    let (hour, minute) = match fixed {
        Some(hm) => hm,
        None => (two(&b[h..h + 2])?, two(&b[min..min + 2])?),
    };
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > days_in_month || hour > 23 || minute > 59 {
        return None;
    }
    let days = days_from_civil(year, month as u32, day as u32);
    Some(days * 86_400 + hour * 3600 + minute * 60)
}

/// The ISO 4217 code of a currency named by code or by AMLworld's name; `None` if unknown.
pub fn known_currency(name: &str) -> Option<&'static str> {
    currency_index(name).map(|i| CURRENCIES[i].0)
}

/// Where in [`CURRENCIES`] a currency named by code or name is.
fn currency_index(name: &str) -> Option<usize> {
    let name = name.trim();
    // As the table writes it, the usual case: only names of the same length are compared.
    static BY_LENGTH: std::sync::OnceLock<Vec<Vec<usize>>> = std::sync::OnceLock::new();
    let by_length = BY_LENGTH.get_or_init(|| {
        let mut by_length = vec![Vec::new(); 32];
        for (i, (code, long)) in CURRENCIES.iter().enumerate() {
            for n in [code.len(), long.len()] {
                if !by_length[n].contains(&i) {
                    by_length[n].push(i);
                }
            }
        }
        by_length
    });
    let exact = by_length.get(name.len()).and_then(|candidates| {
        candidates.iter().copied().find(|&i| {
            let (code, long) = CURRENCIES[i];
            code == name || long == name
        })
    });
    exact.or_else(|| {
        CURRENCIES.iter().position(|(code, long)| {
            code.eq_ignore_ascii_case(name) || long.eq_ignore_ascii_case(name)
        })
    })
}

/// The interned id of the currency at `index` in [`CURRENCIES`].
fn currency_id(names: &mut Names, index: usize) -> crate::txn::Currency {
    names.known_currency(index, CURRENCIES[index].0)
}

/// Currencies by ISO code and the name AMLworld uses (crypto by its common ticker).
/// US dollars come first: AMLSim's amounts are in them.
const CURRENCIES: &[(&str, &str)] = &[
    ("USD", "US Dollar"),
    ("EUR", "Euro"),
    ("GBP", "UK Pound"),
    ("CNY", "Yuan"),
    ("JPY", "Yen"),
    ("INR", "Rupee"),
    ("RUB", "Ruble"),
    ("CAD", "Canadian Dollar"),
    ("AUD", "Australian Dollar"),
    ("CHF", "Swiss Franc"),
    ("MXN", "Mexican Peso"),
    ("BRL", "Brazil Real"),
    ("ILS", "Shekel"),
    ("SAR", "Saudi Riyal"),
    ("COP", "Colombian Peso"),
    ("VES", "Bolivar"),
    ("GTQ", "Quetzal"),
    ("HNL", "Lempira"),
    ("PEN", "Sol"),
    ("ARS", "Argentine Peso"),
    ("CLP", "Chilean Peso"),
    ("PAB", "Balboa"),
    ("DOP", "Dominican Peso"),
    ("AED", "Dirham"),
    ("HKD", "Hong Kong Dollar"),
    ("BTC", "Bitcoin"),
    ("ETH", "Ether"),
    ("USDT", "Tether"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(format: Format, text: &str) -> (Vec<Txn>, Vec<RowError>, Names) {
        let mut names = Names::default();
        let mut reader = Reader::new(text.as_bytes(), format);
        let (mut ok, mut bad) = (Vec::new(), Vec::new());
        while let Some(row) = reader.next_txn(&mut names) {
            match row {
                Ok(t) => ok.push(t),
                Err(e) => bad.push(e),
            }
        }
        (ok, bad, names)
    }

    const AMLWORLD_HEADER: &str = "Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering\n";

    #[test]
    fn amlworld_rows_key_accounts_by_bank() {
        let text = format!(
            "{AMLWORLD_HEADER}2022/09/01 00:20,010,8000EBD30,010,8000EBD30,3697.34,US Dollar,3697.34,US Dollar,Reinvestment,0\n\
             2022/09/01 00:06,021174,800737690,012,80011F990,2848.96,Euro,2848.96,Euro,ACH,1\n"
        );
        let (ok, bad, names) = read_all(Format::AmlWorld, &text);
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(ok.len(), 2);
        assert_eq!(names.account_name(ok[1].from), "021174:800737690");
        assert_eq!(names.account_name(ok[1].to), "012:80011F990");
        assert_eq!(ok[1].amount, 2_848_960_000);
        assert_eq!(names.currency_name(ok[1].currency), "EUR");
        assert_eq!(ok[1].channel, Channel::Ach);
        assert_eq!(ok[1].laundering, Some(true));
        assert_eq!(ok[0].seq, 2);
        assert_eq!(ok[0].at, 19_236 * 86_400 + 20 * 60);
    }

    #[test]
    fn bad_rows_name_line_and_field_and_reading_goes_on() {
        let text = format!(
            "{AMLWORLD_HEADER}2022/09/01 00:20,010,A,010,B,-5.00,US Dollar,-5.00,US Dollar,Cash,0\n\
             2022/13/01 00:20,010,A,010,B,5.00,US Dollar,5.00,US Dollar,Cash,0\n\
             2022/09/01 00:20,010,A,010,B,5.00,Doubloon,5.00,US Dollar,Cash,0\n\
             2022/09/01 00:20,010,A,010,B,5.00,US Dollar\n\
             2022/09/01 00:20,010,A,010,B,99999999999999.00,US Dollar,99999999999999.00,US Dollar,Cash,0\n\
             2022/09/01 00:20,010,,010,B,5.00,US Dollar,5.00,US Dollar,Cash,2\n\
             2022/09/01 00:21,010,A,010,B,5.00,US Dollar,5.00,US Dollar,Cash,0\n"
        );
        let (ok, bad, _) = read_all(Format::AmlWorld, &text);
        assert_eq!(ok.len(), 1);
        let said: Vec<String> = bad.iter().map(ToString::to_string).collect();
        assert_eq!(
            said,
            [
                "line 2 field Amount Received: negative amount -5.00",
                "line 3 field Timestamp: no such time \"2022/13/01 00:20\"",
                "line 4 field Receiving Currency: unknown currency",
                "line 5: 7 fields, expected 11",
                "line 6 field Amount Received: absurd amount 99999999999999.00 (over 1000000000000)",
                "line 7 field Account (from): empty",
            ]
        );
    }

    #[test]
    fn a_wrong_header_is_refused_by_line() {
        let (ok, bad, _) = read_all(Format::AmlSim, "a,b,c\n1,2,3.00,4\n");
        assert_eq!(bad[0].line, 1);
        assert!(bad[0].message.contains("expected"), "{}", bad[0]);
        // The header is checked once; the next row is read as data.
        assert_eq!(ok.len(), 1);
    }

    #[test]
    fn amlsim_forms_and_json_lines() {
        let (ok, bad, names) = read_all(
            Format::AmlSim,
            "sourceNodeId,targetNodeId,value,time\n360,18984,103.55,1\n",
        );
        assert!(bad.is_empty());
        assert_eq!(ok[0].at, (AMLSIM_EPOCH_DAYS + 1) * 86_400);
        assert_eq!(names.account_name(ok[0].to), "18984");

        let (ok, bad, names) = read_all(
            Format::AmlSimTx,
            "tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id\n\
             77,1,2,TRANSFER,10.5,2017-01-02T00:00:00Z,True,12\n",
        );
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!((ok[0].amount, ok[0].laundering), (10_500_000, Some(true)));
        assert_eq!(names.txn_id(ok[0].seq), "77");

        let (ok, bad, names) = read_all(
            Format::Jsonl,
            "{\"id\":\"t1\",\"timestamp\":\"2026-01-05T10:00:00-06:00\",\"from\":{\"account\":\"MX-1\",\"party\":\"p1\"},\"to\":\"US-9\",\"amount\":\"9500.00\",\"currency\":\"USD\",\"channel\":\"cash\",\"location\":\"US-CA-073\"}\n\
             {\"timestamp\":\"2026-01-05T10:00:00Z\",\"from\":\"a\",\"to\":\"b\",\"amount\":1,\"currency\":\"XXX\",\"channel\":\"cash\"}\n\
             {\"timestamp\":\"2026-01-05\",\"from\":\"a\",\"to\":\"b\",\"amount\":true,\"currency\":\"USD\",\"channel\":\"cash\"}\n\
             [1]\n",
        );
        assert_eq!(ok.len(), 1);
        assert_eq!(ok[0].at, days_from_civil(2026, 1, 5) * 86_400 + 16 * 3600);
        assert_eq!(names.place_name(ok[0].place.unwrap()), "US-CA-073");
        assert_eq!(names.txn_id(1), "t1");
        let said: Vec<String> = bad.iter().map(ToString::to_string).collect();
        assert_eq!(
            said,
            [
                "line 2 field currency: unknown currency",
                "line 3 field amount: expected a decimal string or number",
                "line 4: expected a JSON object",
            ]
        );
    }

    /// The splitter as first written, a byte at a time: the one-pass splitter must agree.
    fn split_csv_reference(line: &[u8], fields: &mut Vec<(usize, usize)>) -> Result<(), String> {
        fields.clear();
        let mut start = 0;
        let mut i = 0;
        while i <= line.len() {
            if i < line.len() && line[i] == b'"' && i == start {
                let close = line[i + 1..]
                    .iter()
                    .position(|&b| b == b'"')
                    .ok_or("a quoted field is not closed")?;
                let end = i + 1 + close;
                fields.push((i + 1, end));
                i = end + 1;
                if i < line.len() && line[i] != b',' {
                    return Err("text after a closing quote".into());
                }
                i += 1;
                start = i;
                if i > line.len() {
                    break;
                }
                continue;
            }
            if i == line.len() || line[i] == b',' {
                fields.push((start, i));
                start = i + 1;
            }
            i += 1;
        }
        Ok(())
    }

    proptest::proptest! {
        #[test]
        fn csv_splitting_agrees_with_the_byte_at_a_time_splitter(line in "[a\",]{0,40}") {
            let (mut got, mut want) = (Vec::new(), Vec::new());
            let r = split_csv(line.as_bytes(), &mut got);
            let w = split_csv_reference(line.as_bytes(), &mut want);
            proptest::prop_assert_eq!(&r, &w);
            if r.is_ok() {
                proptest::prop_assert_eq!(got, want);
            }
        }

        #[test]
        fn plain_amounts_read_as_the_full_parser_reads_them(s in "[0-9.+ -]{0,18}") {
            if let Some(v) = plain_amount(s.as_bytes()) {
                proptest::prop_assert_eq!(parse_amount(&s), Ok(v));
            }
        }
    }

    #[test]
    fn newlines_are_found_eight_bytes_at_a_time() {
        for text in [
            "",
            "a",
            "\n",
            "abcdefgh\n",
            "abcdefg\n\n",
            "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\n",
            "0123456789abcdef0\n",
        ] {
            assert_eq!(newline(text.as_bytes()), text.find('\n'), "{text:?}");
        }
        let mut bytes = vec![0x8a_u8; 40];
        for i in 0..40 {
            bytes[i] = b'\n';
            assert_eq!(newline(&bytes), Some(i));
            bytes[i] = 0x0b;
        }
    }

    #[test]
    fn plain_amounts_cover_the_usual_forms() {
        for s in ["0", "5.", "12.5", "0.0000019", "1000000000000", "9999.99"] {
            assert_eq!(plain_amount(s.as_bytes()), parse_amount(s).ok(), "{s}");
        }
        for s in [
            "1000000000001",
            "00000000000001",
            "-1",
            ".5",
            "1e5",
            "1.2.3",
            "",
        ] {
            assert_eq!(plain_amount(s.as_bytes()), None, "{s}");
        }
    }

    #[test]
    fn currencies_are_found_by_code_or_name_in_any_case() {
        for (i, (code, long)) in CURRENCIES.iter().enumerate() {
            for name in [
                code.to_string(),
                long.to_string(),
                long.to_uppercase(),
                format!(" {}", code.to_lowercase()),
            ] {
                assert_eq!(currency_index(&name), Some(i), "{name}");
            }
            // No two entries match the same name, so the first found is the one.
            let clashes = CURRENCIES
                .iter()
                .filter(|(c, l)| {
                    [c, l]
                        .iter()
                        .any(|x| x.eq_ignore_ascii_case(code) || x.eq_ignore_ascii_case(long))
                })
                .count();
            assert_eq!(clashes, 1, "{code}");
        }
        assert_eq!(known_currency("Doubloon"), None);
        assert_eq!(known_currency(""), None);
        assert_eq!(
            known_currency("a name longer than thirty-two bytes, surely"),
            None
        );
    }

    #[test]
    fn channels_parse_in_any_case() {
        assert_eq!(Channel::parse(" Credit Card "), Some(Channel::Card));
        assert_eq!(Channel::parse("ACH"), Some(Channel::Ach));
        assert_eq!(Channel::parse("Reinvestment"), Some(Channel::Reinvestment));
        assert_eq!(Channel::parse("a payment format of some length"), None);
        assert_eq!(Channel::parse("Çash"), None);
        assert_eq!(Channel::parse(""), None);
    }

    #[test]
    fn segment_files_are_read_whole_or_refused_by_line() {
        let good =
            "Account,Segment,Name\n001:A1, Business ,Acme\n\n001:B2,individual,\n001:A1,company,\n";
        let read = read_segments(good.as_bytes(), "s.csv").unwrap();
        assert_eq!(
            read,
            [
                ("001:A1".to_string(), Segment::Business),
                ("001:B2".to_string(), Segment::Person)
            ]
        );
        let refused = |text: &str| read_segments(text.as_bytes(), "s.csv").unwrap_err();
        assert_eq!(
            refused("account,segment\n001:A1,person\n001:B2,trust\n"),
            "s.csv:3: segment \"trust\" is not person or business"
        );
        assert_eq!(
            refused("account,segment\n001:A1,person\n001:A1,business\n"),
            "s.csv:3: account \"001:A1\" is given as person and as business"
        );
        assert_eq!(
            refused("account,segment\n,person\n"),
            "s.csv:2: account is empty"
        );
        // Lines are counted as the file has them, blank ones too.
        assert_eq!(
            refused("account,segment\n001:A1,person\n\n001:B2\n"),
            "s.csv:4: segment \"\" is not person or business"
        );
        assert_eq!(
            refused("id,kind\n001:A1,person\n"),
            "s.csv:1: expected columns account and segment"
        );
        let bad_utf8 = read_segments(
            &b"account,segment\n001:A1,person\n001:B2,\xff\n"[..],
            "s.csv",
        );
        assert!(bad_utf8.unwrap_err().starts_with("s.csv:3:"));
        assert_eq!(
            Segment::parse("Sole Proprietorship"),
            Some(Segment::Business)
        );
    }

    #[test]
    fn amounts_are_exact_millionths() {
        assert_eq!(parse_amount("0.1"), Ok(100_000));
        assert_eq!(parse_amount("9999.99"), Ok(9_999_990_000));
        assert_eq!(parse_amount("10000"), Ok(10_000 * UNIT));
        assert_eq!(parse_amount("0.00012345678"), Ok(123));
        assert!(parse_amount("1e5").is_err());
        assert!(parse_amount("").is_err());
        assert!(parse_amount("NaN").is_err());
    }
}
