//! What an ingest reads: list sources found in paths or named in a manifest.
//!
//! A folder may hold an OFAC CSV set (`sdn.csv` with `alt.csv`, `add.csv`,
//! `sdn_comments.csv`, or the `cons_*.csv` set), UN XML, or FtM JSON lines; a
//! single file is read alone. A manifest (TOML) names the files of each list
//! explicitly, including overlays of primary files, and gives each a version.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use interdict_model::Entity;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::{ListError, Location, Warning};
use crate::input::{InputFile, MAX_FILE_LEN, ParseOptions, ParsedList};
use crate::ofac::{OfacFiles, OfacList};
use crate::registry;
use crate::{ftm, ofac, un};

/// The list formats interdict reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// OFAC legacy CSV: the SDN set, or the consolidated (non-SDN) set when its files are `cons_*`.
    OfacCsv,
    /// UN Security Council consolidated XML.
    UnXml,
    /// FollowTheMoney JSON lines.
    Ftm,
    /// A company-registry extract: `ownership.csv` and, beside it, `entities.csv`.
    RegistryCsv,
}

impl Format {
    /// The format named `s` on the command line.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ofac-csv" | "ofac" => Some(Self::OfacCsv),
            "un-xml" | "un" => Some(Self::UnXml),
            "ftm" | "ftm-json" => Some(Self::Ftm),
            "registry-csv" | "registry" => Some(Self::RegistryCsv),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::OfacCsv => "ofac-csv",
            Self::UnXml => "un-xml",
            Self::Ftm => "ftm",
            Self::RegistryCsv => "registry-csv",
        })
    }
}

/// The files of one list, ready to parse.
#[derive(Debug, Clone)]
pub enum Payload {
    Ofac(OfacFiles),
    Un(InputFile),
    Ftm(Vec<InputFile>),
    Registry {
        ownership: InputFile,
        entities: Option<InputFile>,
    },
}

/// One list to ingest: which dataset it is, its files, and its version where known.
#[derive(Debug, Clone)]
pub struct ListSource {
    /// e.g. `ofac-sdn`, `ofac-cons`, `un-sc`.
    pub dataset: String,
    pub payload: Payload,
    /// The version date given by a manifest or found in a path (`YYYY-MM-DD`).
    pub version: Option<String>,
}

impl ListSource {
    /// Parses the files into entities; values kept as text because FtM would reject them
    /// where they were given are reported as warnings.
    pub fn parse(&self, opts: &ParseOptions) -> Result<ParsedList, ListError> {
        let mut entities = Vec::new();
        let mut list = self.parse_each(opts, &mut |e| {
            entities.push(e);
            Ok(())
        })?;
        list.entities = entities;
        Ok(list)
    }

    /// Whether [`ListSource::parse_each`] hands entities over as it reads, rather than once
    /// the whole list is parsed.
    pub fn streams(&self) -> bool {
        matches!(self.payload, Payload::Registry { .. })
    }

    /// [`ListSource::parse`], handing each entity to `sink` instead of keeping it: a registry
    /// as each row is read, other lists once parsed whole (their records refer to each other
    /// across the files). The list returned holds the warnings and date, and no entities.
    pub fn parse_each(
        &self,
        opts: &ParseOptions,
        sink: &mut dyn FnMut(Entity) -> Result<(), ListError>,
    ) -> Result<ParsedList, ListError> {
        let mut rejected = Vec::new();
        let mut checked = |entity: Entity| {
            let file = entity.origin.as_deref().unwrap_or(&self.dataset);
            rejected.extend(entity.rejected().iter().map(|r| Warning {
                location: Location::file(file).record(&entity.id).field(r.prop),
                message: format!("{:?} kept as a note: {}", r.value, r.reason),
            }));
            sink(entity)
        };
        let mut list = match &self.payload {
            Payload::Registry {
                ownership,
                entities,
            } => ParsedList {
                warnings: registry::parse_each(ownership, entities.as_ref(), opts, &mut checked)?,
                ..ParsedList::default()
            },
            _ => {
                let mut whole = self.parse_payload(opts)?;
                for entity in std::mem::take(&mut whole.entities) {
                    checked(entity)?;
                }
                whole
            }
        };
        list.warnings.extend(rejected);
        Ok(list)
    }

    fn parse_payload(&self, opts: &ParseOptions) -> Result<ParsedList, ListError> {
        match &self.payload {
            Payload::Ofac(files) => ofac::parse(files, opts),
            Payload::Un(file) => un::parse(file, opts),
            Payload::Ftm(files) => {
                let mut all = ParsedList::default();
                for file in files {
                    let parsed = ftm::parse(file, opts)?;
                    all.entities.extend(parsed.entities);
                    all.warnings.extend(parsed.warnings);
                }
                Ok(all)
            }
            Payload::Registry { .. } => unreachable!("parse_each reads registries itself"),
        }
    }

    /// The files, in the order they are read.
    pub fn files(&self) -> Vec<&InputFile> {
        match &self.payload {
            Payload::Ofac(f) => f
                .primary
                .iter()
                .chain(&f.alt)
                .chain(&f.add)
                .chain(&f.comments)
                .collect(),
            Payload::Un(file) => vec![file],
            Payload::Ftm(files) => files.iter().collect(),
            Payload::Registry {
                ownership,
                entities,
            } => std::iter::once(ownership).chain(entities).collect(),
        }
    }

    /// SHA-256 over every file's role and bytes: equal content, equal hash, whatever the file names.
    pub fn content_hash(&self) -> String {
        let mut hasher = Sha256::new();
        let roles: Vec<(&str, &InputFile)> = match &self.payload {
            Payload::Ofac(f) => f
                .primary
                .iter()
                .map(|p| ("primary", p))
                .chain(f.alt.iter().map(|a| ("alt", a)))
                .chain(f.add.iter().map(|a| ("add", a)))
                .chain(f.comments.iter().map(|c| ("comments", c)))
                .collect(),
            Payload::Un(file) => vec![("un", file)],
            Payload::Ftm(files) => files.iter().map(|f| ("ftm", f)).collect(),
            Payload::Registry {
                ownership,
                entities,
            } => std::iter::once(("ownership", ownership))
                .chain(entities.iter().map(|e| ("entities", e)))
                .collect(),
        };
        for (role, file) in roles {
            hasher.update(role.as_bytes());
            hasher.update((file.bytes.len() as u64).to_le_bytes());
            hasher.update(&file.bytes);
        }
        hex::encode(hasher.finalize())
    }
}

/// Finds the lists in `paths`: each folder is searched for known file sets, each file is one list.
pub fn discover(paths: &[PathBuf], format: Option<Format>) -> Result<Vec<ListSource>, ListError> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let found = discover_folder(path, format)?;
            if found.is_empty() {
                return Err(ListError::UnknownFormat(path.display().to_string()));
            }
            out.extend(found);
        } else if is_manifest(path) && format.is_none() {
            out.extend(read_manifest(path)?);
        } else {
            out.push(source_for_file(path, format)?);
        }
    }
    Ok(out)
}

fn discover_folder(dir: &Path, format: Option<Format>) -> Result<Vec<ListSource>, ListError> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|source| io_error(dir, source))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    names.sort();
    let find = |name: &str| {
        names
            .iter()
            .find(|p| file_name(p).eq_ignore_ascii_case(name))
    };
    let mut out = Vec::new();
    let want = |f: Format| format.is_none_or(|x| x == f);
    if let Some(manifest) = names
        .iter()
        .find(|p| is_manifest(p))
        .filter(|_| format.is_none())
    {
        return read_manifest(manifest);
    }
    if want(Format::RegistryCsv)
        && let Some(ownership) = find("ownership.csv")
    {
        out.push(ListSource {
            dataset: "registry".into(),
            payload: Payload::Registry {
                ownership: read_file(ownership)?,
                entities: find("entities.csv").map(|p| read_file(p)).transpose()?,
            },
            version: date_in_path(dir),
        });
    }
    if want(Format::OfacCsv) {
        for (list, primary, alt, add, comments) in [
            (
                OfacList::Sdn,
                "sdn.csv",
                "alt.csv",
                "add.csv",
                "sdn_comments.csv",
            ),
            (
                OfacList::Consolidated,
                "cons_prim.csv",
                "cons_alt.csv",
                "cons_add.csv",
                "cons_comments.csv",
            ),
        ] {
            if let Some(primary) = find(primary) {
                let files = OfacFiles {
                    list,
                    primary: vec![read_file(primary)?],
                    alt: find(alt).map(|p| read_file(p)).transpose()?,
                    add: find(add).map(|p| read_file(p)).transpose()?,
                    comments: find(comments).map(|p| read_file(p)).transpose()?,
                };
                out.push(ListSource {
                    dataset: ofac_dataset(list).into(),
                    payload: Payload::Ofac(files),
                    version: date_in_path(dir),
                });
            }
        }
    }
    for path in &names {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let candidate = match ext.as_str() {
            "xml" => want(Format::UnXml),
            "json" | "jsonl" | "ndjson" | "ftm" => want(Format::Ftm),
            _ => false,
        };
        if candidate {
            out.push(source_for_file(path, format)?);
        }
    }
    Ok(out)
}

fn source_for_file(path: &Path, format: Option<Format>) -> Result<ListSource, ListError> {
    let file = read_file(path)?;
    let format = match format {
        Some(f) => f,
        None => sniff(&file).ok_or_else(|| ListError::UnknownFormat(path.display().to_string()))?,
    };
    let version = date_in_path(path);
    let stem = file_name(path)
        .split('.')
        .next()
        .unwrap_or("list")
        .to_ascii_lowercase();
    Ok(match format {
        Format::OfacCsv => {
            let list = if stem.starts_with("cons") {
                OfacList::Consolidated
            } else {
                OfacList::Sdn
            };
            let files = OfacFiles {
                list,
                primary: vec![file],
                alt: None,
                add: None,
                comments: None,
            };
            ListSource {
                dataset: ofac_dataset(list).into(),
                payload: Payload::Ofac(files),
                version,
            }
        }
        Format::UnXml => ListSource {
            dataset: "un-sc".into(),
            payload: Payload::Un(file),
            version,
        },
        Format::Ftm => ListSource {
            dataset: stem,
            payload: Payload::Ftm(vec![file]),
            version,
        },
        Format::RegistryCsv => {
            let beside = path.with_file_name("entities.csv");
            let entities = (beside.is_file() && beside != path)
                .then(|| read_file(&beside))
                .transpose()?;
            ListSource {
                dataset: "registry".into(),
                payload: Payload::Registry {
                    ownership: file,
                    entities,
                },
                version,
            }
        }
    })
}

/// Guesses a file's format from its first bytes.
pub fn sniff(file: &InputFile) -> Option<Format> {
    let head = &file.bytes[..file.bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('<') {
        return text.contains("CONSOLIDATED_LIST").then_some(Format::UnXml);
    }
    if trimmed.starts_with('{') {
        return Some(Format::Ftm);
    }
    if trimmed.starts_with("owner_id,") {
        return Some(Format::RegistryCsv);
    }
    let first = trimmed.split(',').next()?;
    (!first.is_empty() && first.bytes().all(|b| b.is_ascii_digit())).then_some(Format::OfacCsv)
}

/// The first `YYYY-MM-DD` in a path's components, from the file name outwards.
pub fn date_in_path(path: &Path) -> Option<String> {
    path.components()
        .rev()
        .find_map(|c| find_date(&c.as_os_str().to_string_lossy()))
}

fn find_date(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(9)).find_map(|i| {
        let s = &text.get(i..i + 10)?;
        is_iso_date(s).then(|| s.to_string())
    })
}

/// Whether `s` is a plausible ISO date `YYYY-MM-DD`.
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|d| d.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|d| d.parse::<u32>().ok())
    };
    matches!(
        (num(0..4), num(5..7), num(8..10)),
        (Some(1900..=2999), Some(1..=12), Some(1..=31))
    )
}

/// Reads a file, refusing one larger than any list could be.
pub fn read_file(path: &Path) -> Result<InputFile, ListError> {
    let len = std::fs::metadata(path)
        .map_err(|e| io_error(path, e))?
        .len();
    if len > MAX_FILE_LEN {
        return Err(ListError::malformed(
            crate::Location::file(path.display().to_string()),
            format!("file is {len} bytes, over the limit of {MAX_FILE_LEN}"),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| io_error(path, e))?;
    Ok(InputFile::new(path.display().to_string(), bytes))
}

/// The dataset name of each OFAC list: they share one id space but are separate lists.
pub fn ofac_dataset(list: OfacList) -> &'static str {
    match list {
        OfacList::Sdn => "ofac-sdn",
        OfacList::Consolidated => "ofac-cons",
    }
}

fn io_error(path: &Path, source: std::io::Error) -> ListError {
    ListError::Io {
        file: path.display().to_string(),
        source,
    }
}

fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

fn is_manifest(path: &Path) -> bool {
    file_name(path).eq_ignore_ascii_case("manifest.toml")
}

/// Fetches a file a manifest names (a path relative to the manifest) as bytes.
pub type FileLoader<'a> = dyn Fn(&str) -> Result<Cow<'static, [u8]>, ListError> + 'a;

/// A manifest: the lists of a bundle, each with its files and version.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    list: Vec<ManifestList>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestList {
    dataset: String,
    version: String,
    format: Format,
    /// Read in order; for OFAC, a later primary row replaces an earlier one with the same ent_num.
    files: Vec<String>,
    alt: Option<String>,
    add: Option<String>,
    comments: Option<String>,
}

fn read_manifest(path: &Path) -> Result<Vec<ListSource>, ListError> {
    let text = read_file(path)?;
    let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    sources_from_manifest(&text, &|name| read_file(&base.join(name)).map(|f| f.bytes))
}

/// The lists a manifest names, their files fetched through `load` (a path relative to the manifest).
pub fn sources_from_manifest(
    manifest: &InputFile,
    load: &FileLoader<'_>,
) -> Result<Vec<ListSource>, ListError> {
    let text = manifest.text()?;
    let parsed: Manifest = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| 1 + text[..s.start].matches('\n').count() as u64);
        let mut location = crate::Location::file(&manifest.name);
        location.line = line;
        ListError::malformed(location, e.message().to_string())
    })?;
    parsed
        .list
        .into_iter()
        .map(|l| manifest_source(l, &manifest.name, load))
        .collect()
}

fn manifest_source(
    list: ManifestList,
    manifest: &str,
    load: &FileLoader<'_>,
) -> Result<ListSource, ListError> {
    if !is_iso_date(&list.version) {
        let location = crate::Location::file(manifest)
            .record(list.dataset.clone())
            .field("version");
        return Err(ListError::malformed(
            location,
            format!("{:?} is not a YYYY-MM-DD date", list.version),
        ));
    }
    let get = |name: &str| load(name).map(|bytes| InputFile::new(name, bytes));
    let opt = |name: &Option<String>| name.as_deref().map(get).transpose();
    let mut files = list
        .files
        .iter()
        .map(|f| get(f))
        .collect::<Result<Vec<_>, _>>()?;
    let payload = match list.format {
        Format::OfacCsv => {
            let kind = if list.dataset == ofac_dataset(OfacList::Consolidated) {
                OfacList::Consolidated
            } else {
                OfacList::Sdn
            };
            Payload::Ofac(OfacFiles {
                list: kind,
                primary: files,
                alt: opt(&list.alt)?,
                add: opt(&list.add)?,
                comments: opt(&list.comments)?,
            })
        }
        Format::UnXml if files.len() == 1 => Payload::Un(files.remove(0)),
        Format::UnXml => {
            let location = crate::Location::file(manifest)
                .record(list.dataset.clone())
                .field("files");
            return Err(ListError::malformed(location, "a UN list is one XML file"));
        }
        Format::Ftm => Payload::Ftm(files),
        Format::RegistryCsv if (1..=2).contains(&files.len()) => {
            let entities = (files.len() == 2).then(|| files.remove(1));
            Payload::Registry {
                ownership: files.remove(0),
                entities,
            }
        }
        Format::RegistryCsv => {
            let location = crate::Location::file(manifest)
                .record(list.dataset.clone())
                .field("files");
            return Err(ListError::malformed(
                location,
                "a registry is ownership.csv and optionally entities.csv, in that order",
            ));
        }
    };
    Ok(ListSource {
        dataset: list.dataset,
        payload,
        version: Some(list.version),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_found_in_paths() {
        let check = |path: &str, want: Option<&str>| {
            assert_eq!(date_in_path(Path::new(path)).as_deref(), want, "{path}")
        };
        check(
            "../shared/data/sanctions/ofac_sdn_2021-07-07/sdn.csv",
            Some("2021-07-07"),
        );
        check(
            "lists/un_consolidated_2026-02-27/UN_consolidated.xml",
            Some("2026-02-27"),
        );
        check("sdn-2024-13-01.csv", None);
        check("sdn.csv", None);
    }

    #[test]
    fn formats_are_sniffed_from_content() {
        let check = |text: &str, want: Option<Format>| {
            assert_eq!(
                sniff(&InputFile::new("f", text.as_bytes().to_vec())),
                want,
                "{text}"
            );
        };
        check(
            "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\"",
            Some(Format::OfacCsv),
        );
        check(
            "<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST>",
            Some(Format::UnXml),
        );
        check("<?xml version=\"1.0\"?>\n<sdnList>", None);
        check("{\"id\":\"a\"}", Some(Format::Ftm));
        check("name,dob\n", None);
    }

    #[test]
    fn manifest_errors_name_the_line_and_field() {
        let manifest = InputFile::new(
            "manifest.toml",
            b"[[list]]\ndataset = \"x\"\nversion = \"2024\"\nformat = \"ftm\"\nfiles = []\n"
                .to_vec(),
        );
        let err = sources_from_manifest(&manifest, &|_| Ok(Cow::Borrowed(&b""[..])))
            .unwrap_err()
            .to_string();
        assert!(err.contains("manifest.toml (x) field version"), "{err}");
        let manifest = InputFile::new(
            "manifest.toml",
            b"[[list]]\ndataset = \"x\"\nversion = \"2024-01-01\"\nformat = \"pdf\"\nfiles = []\n"
                .to_vec(),
        );
        let err = sources_from_manifest(&manifest, &|_| Ok(Cow::Borrowed(&b""[..])))
            .unwrap_err()
            .to_string();
        assert!(err.contains("manifest.toml:4"), "{err}");
    }
}
