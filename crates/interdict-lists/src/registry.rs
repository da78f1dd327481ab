//! A company-registry extract as plain CSV: `ownership.csv` (`owner_id,asset_id,percentage`
//! and optionally `start_date,end_date`) and, beside it, `entities.csv` (`id,schema,name` and
//! any FtM property of the schema as further columns, `registration_number` or
//! `registrationNumber` alike). Holdings become FtM `Ownership` entities.
//!
//! A percentage outside 0..100 or not a number, a holding of an entity in itself, or the same
//! holding twice is an error at its line; a holding with no percentage, one naming an id the
//! entity file lacks, and current holdings in one asset adding up to over 100% are warnings.

use std::collections::{BTreeMap, HashMap, HashSet};

use interdict_graph::LinkError;
use interdict_model::{Entity, ids};
use rust_decimal::Decimal;

use crate::error::{ListError, Location, Warning};
use crate::input::{InputFile, ParseOptions, ParsedList};

const OWNERSHIP_COLUMNS: [&str; 5] = [
    "owner_id",
    "asset_id",
    "percentage",
    "start_date",
    "end_date",
];

/// Parses an ownership file and, if given, its entity file.
pub fn parse(
    ownership: &InputFile,
    entities: Option<&InputFile>,
    opts: &ParseOptions,
) -> Result<ParsedList, ListError> {
    let mut all = Vec::new();
    let warnings = parse_each(ownership, entities, opts, &mut |e| {
        all.push(e);
        Ok(())
    })?;
    Ok(ParsedList {
        entities: all,
        warnings,
        published: None,
    })
}

/// [`parse`], handing each entity to `sink` as it is read (parties first, then holdings), so
/// a registry of millions is never held whole. Returns the warnings.
pub fn parse_each(
    ownership: &InputFile,
    entities: Option<&InputFile>,
    opts: &ParseOptions,
    sink: &mut dyn FnMut(Entity) -> Result<(), ListError>,
) -> Result<Vec<Warning>, ListError> {
    let mut warnings = Vec::new();
    let mut known: HashSet<String> = HashSet::new();
    if let Some(file) = entities {
        read_entities(file, opts, &mut warnings, &mut known, sink)?;
    }
    let out = &mut warnings;
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut open: BTreeMap<String, (Decimal, Vec<u64>)> = BTreeMap::new();
    each_row(ownership, &mut |line, row| {
        let location = Location::file(&ownership.name).line(line);
        match holding(&row, &location) {
            Ok(h) => {
                let id = ids::derived(
                    "own",
                    &[&h.owner, &h.asset, h.start.as_deref().unwrap_or("")],
                );
                if let Some(first) = seen.insert(id.clone(), line) {
                    let e = ListError::malformed(
                        location.clone(),
                        format!(
                            "{} already holds in {} from the same date (line {first})",
                            h.owner, h.asset
                        ),
                    );
                    return skip_or_fail(e, opts, out);
                }
                for end in [&h.owner, &h.asset] {
                    if entities.is_some() && !known.contains(end.as_str()) {
                        out.push(Warning {
                            location: location.clone(),
                            message: format!(
                                "{end} is not in {}: it must be in the store already (a listed \
                                 party, say)",
                                entities.map_or("", |f| f.name.as_str())
                            ),
                        });
                    }
                }
                match h.percentage {
                    Some(p) if h.end.is_none() => {
                        let entry = open.entry(h.asset.clone()).or_default();
                        entry.0 += p;
                        entry.1.push(line);
                    }
                    Some(_) => {}
                    None => out.push(Warning {
                        location: location.clone().field("percentage"),
                        message: "no percentage: the holding is kept, but cannot count towards \
                                  50%"
                        .into(),
                    }),
                }
                sink(h.entity(id, &ownership.name, line)?)
            }
            Err(e) => skip_or_fail(e, opts, out),
        }
    })?;
    for (asset, (sum, lines)) in open {
        if sum > Decimal::ONE_HUNDRED {
            let lines: Vec<String> = lines.iter().map(u64::to_string).collect();
            warnings.push(Warning {
                location: Location::file(&ownership.name).record(asset),
                message: format!(
                    "current holdings add up to {sum}%, over 100% (lines {})",
                    lines.join(", ")
                ),
            });
        }
    }
    Ok(warnings)
}

fn skip_or_fail(
    e: ListError,
    opts: &ParseOptions,
    warnings: &mut Vec<Warning>,
) -> Result<(), ListError> {
    if !opts.skip_bad_records {
        return Err(e);
    }
    let location = match &e {
        ListError::Malformed { location, .. } => location.clone(),
        _ => Location::default(),
    };
    warnings.push(Warning {
        location,
        message: format!("record skipped: {e}"),
    });
    Ok(())
}

/// One row of `ownership.csv`, checked.
struct Holding {
    owner: String,
    asset: String,
    percentage: Option<Decimal>,
    start: Option<String>,
    end: Option<String>,
}

impl Holding {
    fn entity(&self, id: String, file: &str, line: u64) -> Result<Entity, ListError> {
        let location = Location::file(file).line(line);
        let bad =
            |e: interdict_model::ModelError| ListError::malformed(location.clone(), e.to_string());
        let mut entity = Entity::new(id, "Ownership")
            .map_err(bad)?
            .with_origin(format!("{}:{line}", crate::input::base_name(file)));
        entity.add("owner", &self.owner).map_err(bad)?;
        entity.add("asset", &self.asset).map_err(bad)?;
        if let Some(p) = self.percentage {
            entity.add("percentage", p.to_string()).map_err(bad)?;
        }
        for (prop, value) in [("startDate", &self.start), ("endDate", &self.end)] {
            if let Some(v) = value {
                entity.add(prop, v).map_err(bad)?;
            }
        }
        Ok(entity)
    }
}

fn holding(row: &Row, location: &Location) -> Result<Holding, ListError> {
    let get = |c: &str| row.get(c).map(|v| v.trim()).filter(|v| !v.is_empty());
    let required = |c: &'static str| {
        get(c)
            .map(str::to_string)
            .ok_or_else(|| ListError::malformed(location.clone().field(c), "missing"))
    };
    let (owner, asset) = (required("owner_id")?, required("asset_id")?);
    if owner == asset {
        return Err(ListError::malformed(
            location.clone(),
            format!("{owner} is given as holding in itself"),
        ));
    }
    // Read as the graph reads it (`50`, `50.5`, `50,5`, `50 %`), so ingest and derive agree.
    let percentage = get("percentage")
        .map(|raw| {
            interdict_graph::parse_percentage("", raw).map_err(|e| {
                let message = match e {
                    LinkError::OutOfRange { .. } => format!("{raw} is outside 0..100"),
                    _ => format!("{raw:?} is not a number"),
                };
                ListError::malformed(location.clone().field("percentage"), message)
            })
        })
        .transpose()?;
    let date = |c: &'static str| -> Result<Option<String>, ListError> {
        match get(c) {
            Some(d) if !is_date_prefix(d) => Err(ListError::malformed(
                location.clone().field(c),
                format!("{d:?} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
            )),
            other => Ok(other.map(str::to_string)),
        }
    };
    let (start, end) = (date("start_date")?, date("end_date")?);
    let n = start
        .as_ref()
        .zip(end.as_ref())
        .map(|(s, e)| s.len().min(e.len()));
    if let (Some(s), Some(e), Some(n)) = (&start, &end, n)
        && e[..n] < s[..n]
    {
        return Err(ListError::malformed(
            location.clone().field("end_date"),
            format!("ends ({e}) before it starts ({s})"),
        ));
    }
    Ok(Holding {
        owner,
        asset,
        percentage,
        start,
        end,
    })
}

/// `YYYY`, `YYYY-MM` or a valid `YYYY-MM-DD`.
fn is_date_prefix(d: &str) -> bool {
    let b = d.as_bytes();
    let number = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = d.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    match b.len() {
        4 => number(0..4).is_some(),
        7 => {
            b[4] == b'-'
                && number(0..4).is_some()
                && number(5..7).is_some_and(|m| (1..=12).contains(&m))
        }
        10 => crate::source::is_iso_date(d),
        _ => false,
    }
}

fn read_entities(
    file: &InputFile,
    opts: &ParseOptions,
    warnings: &mut Vec<Warning>,
    ids: &mut HashSet<String>,
    sink: &mut dyn FnMut(Entity) -> Result<(), ListError>,
) -> Result<(), ListError> {
    each_row(file, &mut |line, row| {
        let location = Location::file(&file.name).line(line);
        match registry_entity(&row, &location, &file.name, line) {
            Ok(entity) if !ids.insert(entity.id.clone()) => {
                let e = ListError::malformed(
                    location.field("id"),
                    format!("{} appears twice", entity.id),
                );
                skip_or_fail(e, opts, warnings)
            }
            Ok(entity) => sink(entity),
            Err(e) => skip_or_fail(e, opts, warnings),
        }
    })
}

fn registry_entity(
    row: &Row,
    location: &Location,
    file: &str,
    line: u64,
) -> Result<Entity, ListError> {
    let field = |c: &str| row.get(c).map(|v| v.trim()).filter(|v| !v.is_empty());
    let id =
        field("id").ok_or_else(|| ListError::malformed(location.clone().field("id"), "missing"))?;
    let schema = field("schema").unwrap_or("Company");
    let bad = |column: &str, message: String| {
        ListError::malformed(
            location
                .clone()
                .record(id.to_string())
                .field(column.to_string()),
            message,
        )
    };
    let mut entity = Entity::new(id, schema)
        .map_err(|e| bad("schema", e.to_string()))?
        .with_origin(format!("{}:{line}", crate::input::base_name(file)));
    if !entity.schema.is_a("LegalEntity") {
        return Err(bad(
            "schema",
            format!("{schema} is not a party (Company, Person, …)"),
        ));
    }
    for (column, value) in row {
        if matches!(column.as_str(), "id" | "schema") || value.trim().is_empty() {
            continue;
        }
        let prop = camel_case(column);
        entity
            .add(&prop, value.trim())
            .map_err(|e| bad(column, e.to_string()))?;
    }
    if entity.first("name").is_none() {
        return Err(bad("name", "missing".into()));
    }
    Ok(entity)
}

/// `registration_number` → `registrationNumber`; FtM names pass unchanged.
fn camel_case(column: &str) -> String {
    let mut out = String::with_capacity(column.len());
    let mut upper = false;
    for c in column.trim().chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A CSV row by column name.
type Row = BTreeMap<String, String>;

/// Hands each row of a CSV file with a header to `each`, by column name, with its 1-based
/// line number; the first error stops the reading.
fn each_row(
    file: &InputFile,
    each: &mut dyn FnMut(u64, Row) -> Result<(), ListError>,
) -> Result<(), ListError> {
    let text = file.text()?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header_location = Location::file(&file.name).line(1);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| ListError::malformed(header_location.clone(), e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let is_ownership =
        file.name.ends_with("ownership.csv") || header.first().is_some_and(|h| h == "owner_id");
    if is_ownership
        && let Some(unknown) = header
            .iter()
            .find(|h| !OWNERSHIP_COLUMNS.contains(&h.as_str()))
    {
        return Err(ListError::malformed(
            header_location.field(unknown.clone()),
            format!(
                "unknown column; ownership files have {}",
                OWNERSHIP_COLUMNS.join(",")
            ),
        ));
    }
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            ListError::malformed(Location::file(&file.name).line(line), e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let row = header
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_string))
            .collect();
        each(line, row)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> InputFile {
        InputFile::new(name, text.as_bytes().to_vec())
    }

    fn parse_text(ownership: &str, entities: Option<&str>) -> Result<ParsedList, ListError> {
        let entities = entities.map(|e| file("entities.csv", e));
        parse(
            &file("ownership.csv", ownership),
            entities.as_ref(),
            &ParseOptions::default(),
        )
    }

    const ENTITIES: &str = "id,schema,name,jurisdiction,registration_number\n\
                            co-1,Company,Frente SA,mx,RFC123\n\
                            co-2,,Dos SA,mx,\n\
                            p-1,Person,Juan Perez,,\n";

    #[test]
    fn holdings_become_ownership_entities_with_their_parties() {
        let list = parse_text(
            "owner_id,asset_id,percentage,start_date,end_date\n\
             p-1,co-1,60,2019-03,\n\
             co-1,co-2,33.50 %,,2024-12-31\n\
             p-1,co-2,\"12,5\",2025,\n",
            Some(ENTITIES),
        )
        .unwrap();
        assert!(list.warnings.is_empty(), "{:?}", list.warnings);
        let own: Vec<&Entity> = list
            .entities
            .iter()
            .filter(|e| e.schema.name == "Ownership")
            .collect();
        assert_eq!(own.len(), 3);
        assert_eq!(own[2].first("percentage"), Some("12.5"));
        assert_eq!(own[0].first("owner"), Some("p-1"));
        assert_eq!(own[0].first("percentage"), Some("60"));
        assert_eq!(own[0].first("startDate"), Some("2019-03"));
        assert_eq!(own[1].first("percentage"), Some("33.5"));
        let co1 = list.entities.iter().find(|e| e.id == "co-1").unwrap();
        assert_eq!(co1.first("registrationNumber"), Some("RFC123"));
        assert_eq!(co1.first("jurisdiction"), Some("mx"));
        let co2 = list.entities.iter().find(|e| e.id == "co-2").unwrap();
        assert_eq!(co2.schema.name, "Company");
    }

    #[test]
    fn bad_rows_name_their_line_and_field() {
        let fails = |rows: &str| {
            let text = format!("owner_id,asset_id,percentage\n{rows}");
            parse_text(&text, None).unwrap_err().to_string()
        };
        assert_eq!(
            fails("a,b,150\n"),
            "ownership.csv:2 field percentage: 150 is outside 0..100"
        );
        assert_eq!(
            fails("a,b,5\na,c,-1\n"),
            "ownership.csv:3 field percentage: -1 is outside 0..100"
        );
        assert!(fails("a,b,half\n").contains("\"half\" is not a number"));
        assert!(fails("a,a,10\n").contains("a is given as holding in itself"));
        assert!(fails(",b,10\n").contains("field owner_id: missing"));
        assert!(
            fails("a,b,10\na,b,20\n").contains("a already holds in b from the same date (line 2)")
        );
        let text = "owner_id,asset_id,share\na,b,10\n";
        assert!(
            parse_text(text, None)
                .unwrap_err()
                .to_string()
                .contains("field share: unknown column")
        );
        let covered = "owner_id,asset_id,percentage,start_date,end_date\na,b,10,2019-05,2019\n";
        assert!(parse_text(covered, None).is_ok(), "a year covers its May");
        let month = "owner_id,asset_id,percentage,start_date\na,b,10,2019-13\n";
        assert!(
            parse_text(month, None)
                .unwrap_err()
                .to_string()
                .contains("is not a date")
        );
        let dated = "owner_id,asset_id,percentage,start_date,end_date\na,b,10,2020,2019\n";
        assert!(
            parse_text(dated, None)
                .unwrap_err()
                .to_string()
                .contains("ends (2019) before it starts (2020)")
        );
        let bad_entity = "id,schema,name\nx,Vessel,Boat\n";
        let e = parse_text("owner_id,asset_id,percentage\n", Some(bad_entity)).unwrap_err();
        assert!(e.to_string().contains("Vessel is not a party"), "{e}");
    }

    #[test]
    fn doubtful_rows_are_kept_and_reported() {
        let list = parse_text(
            "owner_id,asset_id,percentage\n\
             p-1,co-1,70\n\
             ofac-17671,co-1,40\n\
             p-1,co-2,\n",
            Some(ENTITIES),
        )
        .unwrap();
        let said: Vec<String> = list.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(said.len(), 3, "{said:?}");
        assert!(said[0].contains("ofac-17671 is not in entities.csv"));
        assert!(said[1].contains("ownership.csv:4 field percentage: no percentage"));
        assert!(
            said[2].contains("(co-1)")
                && said[2].contains("110%")
                && said[2].contains("lines 2, 3")
        );
        let skipping = ParseOptions {
            skip_bad_records: true,
        };
        let list = parse(
            &file(
                "ownership.csv",
                "owner_id,asset_id,percentage\na,b,200\na,c,20\n",
            ),
            None,
            &skipping,
        )
        .unwrap();
        assert_eq!(list.entities.len(), 1);
        assert!(list.warnings[0].to_string().contains("record skipped"));
    }
}
