//! OFAC's legacy CSV set: `sdn.csv` (or the consolidated non-SDN `cons_prim.csv`)
//! with its companions `alt.csv`, `add.csv` and `sdn_comments.csv`, joined by
//! ent_num into FtM entities.
//!
//! Each entry becomes a party (`ofac-<ent_num>`: Person, Organization, Company,
//! Vessel or Airplane) with one `Sanction` per program tag, and the `Address`,
//! `Identification`, `CryptoWallet` and `UnknownLink` entities its rows and its
//! Remarks define. Derived ids hash the values that define them, so they stay
//! the same from one list version to the next. Remarks that fit no property are
//! kept as `notes`: nothing is dropped silently.
//!
//! ```
//! use interdict_lists::ofac::{self, OfacFiles, OfacList};
//! use interdict_lists::{InputFile, ParseOptions};
//!
//! let sdn = "17674,\"OSEGUERA CERVANTES, Ruben\",\"individual\",\"SDNTK\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 17 Jul 1966; a.k.a. 'El Mencho'.\"\n";
//! let files = OfacFiles {
//!     list: OfacList::Sdn,
//!     primary: vec![InputFile::new("sdn.csv", sdn.as_bytes())],
//!     alt: None,
//!     add: None,
//!     comments: None,
//! };
//! let parsed = ofac::parse(&files, &ParseOptions::default()).unwrap();
//! let person = &parsed.entities[0];
//! assert_eq!(person.id, "ofac-17674");
//! assert_eq!(person.first("birthDate"), Some("1966-07-17"));
//! assert_eq!(person.first("weakAlias"), Some("El Mencho"));
//! ```
//!
//! It does not merge the SDN and non-SDN lists (parse each, then merge by id),
//! and it reads no files itself: callers hand it [`InputFile`]s.

mod address;
mod dates;
mod documents;
mod names;
mod party;
mod remarks;
mod rows;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::thread;

use interdict_model::{Entity, ModelError};

use crate::error::{ListError, Location, Warning};
use crate::input::{InputFile, ParseOptions, ParsedList, base_name};
use names::NameIndex;
use party::{Context, Party, PartyInput, RemarkText};
use rows::{Row, Rows, Table, add, alt, comments, sdn};

/// Which OFAC list a file set holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfacList {
    /// The Specially Designated Nationals list (`sdn.csv`).
    Sdn,
    /// The consolidated non-SDN list (`cons_prim.csv`: SSI, NS-PLC, CMIC, …).
    Consolidated,
}

impl OfacList {
    /// The list's name in `Sanction` program ids, e.g. `SDN/SDGT`.
    fn key(self) -> &'static str {
        match self {
            OfacList::Sdn => "SDN",
            OfacList::Consolidated => "NON-SDN",
        }
    }
}

/// One version of a list as OFAC publishes it: primary rows and their companions.
#[derive(Debug, Clone)]
pub struct OfacFiles {
    /// Which list the files hold.
    pub list: OfacList,
    /// Primary files (sdn.csv / cons_prim.csv), read in order: a later row with the
    /// same ent_num replaces an earlier one (an overlay such as sdn_key_rows.csv).
    pub primary: Vec<InputFile>,
    /// alt.csv: aliases.
    pub alt: Option<InputFile>,
    /// add.csv: addresses.
    pub add: Option<InputFile>,
    /// sdn_comments.csv: the part of Remarks past OFAC's 1,000-character cut.
    pub comments: Option<InputFile>,
}

/// Parses a file set into entities. A malformed row is an error naming its file,
/// line, ent_num and column, or with `skip_bad_records` a warning and skipped.
pub fn parse(files: &OfacFiles, opts: &ParseOptions) -> Result<ParsedList, ListError> {
    parse_counted(files, opts).map(|(list, _)| list)
}

/// How many companion rows were joined to an entry, and how many named none.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct JoinCounts {
    parties: usize,
    alias_rows: usize,
    alias_orphans: usize,
    address_rows: usize,
    address_orphans: usize,
    comment_rows: usize,
    comment_orphans: usize,
}

fn parse_counted(
    files: &OfacFiles,
    opts: &ParseOptions,
) -> Result<(ParsedList, JoinCounts), ListError> {
    let mut log = Log::new(opts);
    let tables = read_all(files, opts, &mut log)?;
    let joined = Joined::new(files, tables, &mut log);
    let names = joined.primary.names();
    let ctx = Context {
        list: files.list,
        names: &names,
        alt_file: name_or(&files.alt, "alt.csv"),
        add_file: name_or(&files.add, "add.csv"),
    };
    let inputs = joined.inputs(files, &mut log);
    let entities = collect(&inputs, build_all(&inputs, &ctx), &mut log)?;
    let list = ParsedList {
        entities,
        warnings: log.warnings,
        published: None,
    };
    Ok((list, joined.counts()))
}

fn name_or<'a>(file: &'a Option<InputFile>, default: &'a str) -> &'a str {
    file.as_ref().map_or(default, |f| &f.name)
}

/// The primary rows after the overlay, and the companion rows by ent_num.
struct Joined {
    primary: Primary,
    alts: Companion,
    adds: Companion,
    notes: Companion,
}

impl Joined {
    /// Joins the tables `read_all` gives, in its order.
    fn new(files: &OfacFiles, tables: Vec<Table>, log: &mut Log) -> Self {
        let mut tables = tables.into_iter();
        let primary_tables = tables.by_ref().take(files.primary.len()).collect();
        let primary = Primary::new(primary_tables, &files.primary, log);
        let mut companion = |file: &Option<InputFile>, noun| match file {
            Some(file) => {
                let table = tables.next().unwrap_or_default();
                Companion::new(table, file, &primary, noun, log)
            }
            None => Companion::default(),
        };
        let alts = companion(&files.alt, "alias");
        let adds = companion(&files.add, "address");
        let notes = companion(&files.comments, "remarks continuation");
        Joined {
            primary,
            alts,
            adds,
            notes,
        }
    }

    /// One input per entry, in order.
    fn inputs<'a>(&'a self, files: &'a OfacFiles, log: &mut Log) -> Vec<PartyInput<'a>> {
        let comment_file = name_or(&files.comments, "sdn_comments.csv");
        self.primary
            .rows()
            .map(|(file, row)| PartyInput {
                row,
                file: &files.primary[file].name,
                remarks: remark_texts(&row, self.notes.of(row.ent_num), comment_file, log),
                alts: self.alts.of(row.ent_num),
                adds: self.adds.of(row.ent_num),
            })
            .collect()
    }

    fn counts(&self) -> JoinCounts {
        JoinCounts {
            parties: self.primary.order.len(),
            alias_rows: self.alts.kept,
            alias_orphans: self.alts.orphans,
            address_rows: self.adds.kept,
            address_orphans: self.adds.orphans,
            comment_rows: self.notes.kept,
            comment_orphans: self.notes.orphans,
        }
    }
}

/// Reads every file on a thread of its own, the files being independent: the
/// primary files in order, then alt, add and comments where given. Warnings and
/// the first error come in that order too.
fn read_all(
    files: &OfacFiles,
    opts: &ParseOptions,
    log: &mut Log,
) -> Result<Vec<Table>, ListError> {
    let primary = files.primary.iter().map(|f| (f, sdn::COLUMNS));
    let companions = [
        (&files.alt, alt::COLUMNS),
        (&files.add, add::COLUMNS),
        (&files.comments, comments::COLUMNS),
    ];
    let jobs: Vec<(&InputFile, &[&str])> = primary
        .chain(
            companions
                .into_iter()
                .filter_map(|(f, cols)| Some((f.as_ref()?, cols))),
        )
        .collect();
    let results = thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .iter()
            .map(|&(file, columns)| {
                scope.spawn(move || {
                    let mut log = Log::new(opts);
                    (rows::read(file, columns, &mut log), log.warnings)
                })
            })
            .collect();
        handles.into_iter().map(joined).collect::<Vec<_>>()
    });
    let mut tables = Vec::with_capacity(results.len());
    for (table, warnings) in results {
        log.warnings.extend(warnings);
        tables.push(table?);
    }
    Ok(tables)
}

/// Builds every entry's entities, on a few threads: entries are independent, and
/// building them (mostly allocating) is most of the parse.
fn build_all(inputs: &[PartyInput], ctx: &Context) -> Vec<Result<Party, ModelError>> {
    const MIN_CHUNK: usize = 2_000;
    let threads = thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4);
    let chunk = inputs.len().div_ceil(threads).max(MIN_CHUNK);
    if inputs.len() <= chunk {
        return inputs
            .iter()
            .map(|input| party::build(input, ctx))
            .collect();
    }
    thread::scope(|scope| {
        let handles: Vec<_> = inputs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|input| party::build(input, ctx))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(joined).collect()
    })
}

/// A scoped thread's result; a panic in it goes on in the caller.
fn joined<T>(handle: thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The built entities in input order, shared ones merged; an entry that could not
/// be built is an error or, when skipping, a warning.
fn collect(
    inputs: &[PartyInput],
    built: Vec<Result<Party, ModelError>>,
    log: &mut Log,
) -> Result<Vec<Entity>, ListError> {
    let mut out = EntitySet::default();
    out.entities.reserve(inputs.len() * 5);
    for (input, result) in inputs.iter().zip(built) {
        let merged = result.and_then(|party| {
            log.warnings.extend(party.warnings);
            party.entities.into_iter().try_for_each(|e| out.insert(e))
        });
        if let Err(e) = merged {
            let location = row_location(input.file, &input.row);
            log.reject(ListError::malformed(
                location,
                format!("cannot build entities: {e}"),
            ))?;
        }
    }
    Ok(out.entities)
}

/// The row's Remarks, joined with the continuations that line up with it; one that
/// does not (the comments file is newer than the row) is read on its own.
fn remark_texts<'a>(
    row: &Row<'a>,
    continuations: Rows<'a>,
    comment_file: &str,
    log: &mut Log,
) -> Vec<RemarkText<'a>> {
    let mut texts = vec![RemarkText::own(row.raw(sdn::REMARKS))];
    for c in continuations.iter() {
        let text = c.raw(comments::REMARKS);
        if text.is_empty() {
            continue;
        }
        let origin = format!("{}#{}", base_name(comment_file), c.ent_num);
        let first = &mut texts[0];
        if first.continued.is_none() && remarks::is_continued_by(&first.text, text) {
            first.continue_with(text, origin);
            continue;
        }
        let location = row_location(comment_file, &c).field(comments::COLUMNS[comments::REMARKS]);
        let message = "continuation does not line up with the row's Remarks \
                       (a different list version?); read on its own";
        log.warnings.push(Warning {
            location,
            message: message.into(),
        });
        texts.push(RemarkText::on_its_own(text, origin));
    }
    texts
}

fn row_location(file: &str, row: &Row) -> Location {
    Location::file(file)
        .line(row.line)
        .record(format!("ent_num {}", row.ent_num))
}

/// The primary rows after the overlay, in first-seen order.
struct Primary {
    /// One per primary file.
    tables: Vec<Table>,
    /// (file, row in its table), in order.
    order: Vec<(usize, usize)>,
    /// ent_num → position in `order`.
    index: HashMap<u64, usize>,
}

impl Primary {
    fn new(tables: Vec<Table>, files: &[InputFile], log: &mut Log) -> Self {
        let mut primary = Primary {
            tables,
            order: Vec::new(),
            index: HashMap::new(),
        };
        for (file_index, (table, file)) in primary.tables.iter().zip(files).enumerate() {
            let mut in_file = HashSet::new();
            for row in table.rows() {
                if !in_file.insert(row.ent_num) {
                    let message = "ent_num appears again in this file; the later row is used";
                    log.warnings.push(Warning {
                        location: row_location(&file.name, &row),
                        message: message.into(),
                    });
                }
                let at = (file_index, row.index());
                match primary.index.get(&row.ent_num) {
                    Some(&pos) => primary.order[pos] = at,
                    None => {
                        primary.index.insert(row.ent_num, primary.order.len());
                        primary.order.push(at);
                    }
                }
            }
        }
        primary
    }

    /// (file, row) pairs in order.
    fn rows(&self) -> impl Iterator<Item = (usize, Row<'_>)> {
        self.order
            .iter()
            .map(|&(file, row)| (file, self.tables[file].row(row)))
    }

    fn names(&self) -> NameIndex<'_> {
        let mut names = NameIndex::default();
        for (_, row) in self.rows() {
            if let Some(name) = row.get(sdn::NAME) {
                names.insert(name, row.ent_num);
            }
        }
        names
    }
}

/// A companion file's rows by ent_num; rows of ent_nums not in the primary files
/// are counted, not kept.
#[derive(Default)]
struct Companion {
    table: Table,
    /// Indices of kept rows, grouped by ent_num in file order.
    order: Vec<u32>,
    /// ent_num → range of `order`.
    by_ent: HashMap<u64, (usize, usize)>,
    kept: usize,
    orphans: usize,
}

impl Companion {
    fn new(table: Table, file: &InputFile, primary: &Primary, noun: &str, log: &mut Log) -> Self {
        let mut companion = Companion {
            table,
            ..Companion::default()
        };
        let table = &companion.table;
        let mut kept: Vec<(u64, u32)> = table
            .rows()
            .filter(|r| primary.index.contains_key(&r.ent_num))
            .map(|r| (r.ent_num, r.index() as u32))
            .collect();
        kept.sort_unstable();
        for (i, (ent_num, _)) in kept.iter().enumerate() {
            companion.by_ent.entry(*ent_num).or_insert((i, i)).1 = i + 1;
        }
        companion.order = kept.into_iter().map(|(_, row)| row).collect();
        companion.kept = companion.order.len();
        companion.orphans = table.len() - companion.kept;
        if companion.orphans > 0 {
            // One warning for all of them: orphans are expected when the companion
            // file is newer than the primary file.
            let message = format!(
                "{} {noun} rows refer to ent_nums absent from the primary file",
                companion.orphans
            );
            log.warnings.push(Warning {
                location: Location::file(&file.name),
                message,
            });
        }
        companion
    }

    fn of(&self, ent_num: u64) -> Rows<'_> {
        match self.by_ent.get(&ent_num) {
            Some(&(start, end)) => Rows::new(&self.table, &self.order[start..end]),
            None => Rows::default(),
        }
    }
}

/// Entities by id: an entity derived twice (an address two parties share) is
/// merged into the first.
#[derive(Default)]
struct EntitySet {
    entities: Vec<Entity>,
    /// Ids of entities more than one party can define. Parties are one per ent_num
    /// and sanctions one per (party, program), so they need no lookup.
    index: HashMap<String, usize>,
}

impl EntitySet {
    fn insert(&mut self, entity: Entity) -> Result<(), ModelError> {
        if matches!(entity.schema.name, "Sanction")
            || !entity.id.starts_with("ofac-")
            || is_party_id(&entity.id)
        {
            self.entities.push(entity);
            return Ok(());
        }
        match self.index.get(&entity.id) {
            Some(&at) => self.entities[at].merge(entity),
            None => {
                self.index.insert(entity.id.clone(), self.entities.len());
                self.entities.push(entity);
                Ok(())
            }
        }
    }
}

/// `ofac-<ent_num>`, as opposed to a derived `ofac-addr-…`.
fn is_party_id(id: &str) -> bool {
    id.strip_prefix("ofac-")
        .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
}

/// Warnings so far, and the policy for bad records.
struct Log {
    skip_bad_records: bool,
    warnings: Vec<Warning>,
}

impl Log {
    fn new(opts: &ParseOptions) -> Self {
        Log {
            skip_bad_records: opts.skip_bad_records,
            warnings: Vec::new(),
        }
    }

    /// A bad record: the error, or when skipping, a warning.
    fn reject(&mut self, error: ListError) -> Result<(), ListError> {
        if !self.skip_bad_records {
            return Err(error);
        }
        let (location, message) = match error {
            ListError::Malformed { location, message } => (location, message),
            ListError::Encoding { location, offset } => {
                (location, format!("not valid UTF-8 (byte offset {offset})"))
            }
            other => (Location::default(), other.to_string()),
        };
        self.warnings.push(Warning {
            location,
            message: format!("{message}; record skipped"),
        });
        Ok(())
    }
}
