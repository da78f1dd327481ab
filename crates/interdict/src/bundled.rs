//! The lists that ship inside the binary (`data/lists/`, see its README and PROVENANCE files).

use std::borrow::Cow;

use interdict_lists::source::sources_from_manifest;
use interdict_lists::{InputFile, ListError, ListSource, Location};

macro_rules! bundle {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/lists/", $path)))),*]
    };
}

static FILES: &[(&str, &[u8])] = bundle![
    "manifest.toml",
    "ofac_sdn_2024-05-03/sdn.csv",
    "ofac_sdn_recent_key_rows/sdn_key_rows.csv",
    "ofac_sdn_2025-12_aliases_addresses/alt.csv",
    "ofac_sdn_2025-12_aliases_addresses/add.csv",
    "ofac_sdn_2025-12_aliases_addresses/sdn_comments.csv",
    "ofac_consolidated_non_sdn_2025-12/cons_prim.csv",
    "ofac_consolidated_non_sdn_2025-12/cons_alt.csv",
    "ofac_consolidated_non_sdn_2025-12/cons_add.csv",
    "ofac_consolidated_non_sdn_2025-12/cons_comments.csv",
    "un_consolidated_2026-02-27/UN_consolidated.xml",
];

/// The bundled lists, as the manifest names them.
pub fn sources() -> Result<Vec<ListSource>, ListError> {
    let manifest = InputFile::new("bundled:manifest.toml", file("manifest.toml")?);
    let mut sources = sources_from_manifest(&manifest, &file)?;
    for source in &mut sources {
        rename_files(source);
    }
    Ok(sources)
}

fn file(name: &str) -> Result<Cow<'static, [u8]>, ListError> {
    FILES
        .iter()
        .find(|(path, _)| *path == name)
        .map(|(_, bytes)| Cow::Borrowed(*bytes))
        .ok_or_else(|| {
            ListError::malformed(
                Location::file("bundled:manifest.toml"),
                format!("{name} is not bundled"),
            )
        })
}

/// Errors name bundled files as `bundled:<path>` so nobody looks for them on disk.
fn rename_files(source: &mut ListSource) {
    use interdict_lists::Payload;
    let rename = |f: &mut InputFile| f.name = format!("bundled:{}", f.name);
    match &mut source.payload {
        Payload::Ofac(files) => {
            files.primary.iter_mut().for_each(rename);
            files
                .alt
                .iter_mut()
                .chain(&mut files.add)
                .chain(&mut files.comments)
                .for_each(rename);
        }
        Payload::Un(file) => rename(file),
        Payload::Ftm(files) => files.iter_mut().for_each(rename),
        Payload::Registry {
            ownership,
            entities,
        } => std::iter::once(ownership).chain(entities).for_each(rename),
    }
}
