//! FollowTheMoney JSON lines: one `{"id","schema","properties"}` object per line.

use std::collections::HashMap;

use interdict_model::Entity;
use serde_json::Value;

use crate::error::{ListError, Location, Warning};
use crate::input::{InputFile, ParseOptions, ParsedList};

/// Reads FtM JSON lines. Blank lines are skipped; an entity id seen twice is merged.
pub fn parse(file: &InputFile, opts: &ParseOptions) -> Result<ParsedList, ListError> {
    let text = file.text()?;
    let mut out = ParsedList::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        let line_no = n as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        let location = Location::file(&file.name).line(line_no);
        match read_line(line, &location) {
            Ok(entity) => add_entity(&mut out, &mut index, entity, &location, opts)?,
            Err(e) if opts.skip_bad_records => out.warnings.push(skipped(e, location)),
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

fn read_line(line: &str, location: &Location) -> Result<Entity, ListError> {
    let json: Value = serde_json::from_str(line).map_err(|e| {
        ListError::malformed(
            location.clone().field(format!("column {}", e.column())),
            e.to_string(),
        )
    })?;
    let record = json
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .chars()
        .take(80)
        .collect::<String>();
    let entity = Entity::from_ftm_json(&json).map_err(|e| {
        ListError::malformed(location.clone().record(record.clone()), e.to_string())
    })?;
    Ok(entity.with_origin(format!(
        "{}:{}",
        crate::input::base_name(&location.file),
        location.line.unwrap_or(0)
    )))
}

fn add_entity(
    out: &mut ParsedList,
    index: &mut HashMap<String, usize>,
    entity: Entity,
    location: &Location,
    opts: &ParseOptions,
) -> Result<(), ListError> {
    match index.get(&entity.id) {
        Some(&at) => {
            let id = entity.id.clone();
            if let Err(e) = out.entities[at].merge(entity) {
                let e = ListError::malformed(location.clone().record(id), e.to_string());
                if !opts.skip_bad_records {
                    return Err(e);
                }
                out.warnings.push(skipped(e, location.clone()));
            }
        }
        None => {
            index.insert(entity.id.clone(), out.entities.len());
            out.entities.push(entity);
        }
    }
    Ok(())
}

fn skipped(error: ListError, location: Location) -> Warning {
    let message = match error {
        ListError::Malformed { message, .. } => message,
        other => other.to_string(),
    };
    Warning {
        location,
        message: format!("record skipped: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str, skip: bool) -> Result<ParsedList, ListError> {
        let file = InputFile::new("x.ftm.json", text.as_bytes().to_vec());
        parse(
            &file,
            &ParseOptions {
                skip_bad_records: skip,
            },
        )
    }

    #[test]
    fn reads_entities_and_merges_repeated_ids() {
        let text = r#"{"id":"a","schema":"LegalEntity","properties":{"name":["A"]}}

{"id":"a","schema":"Company","properties":{"alias":["A2"]}}
{"id":"b","schema":"Person","properties":{"name":["B"],"birthDate":["1970"]}}"#;
        let parsed = parse_text(text, false).unwrap();
        assert_eq!(parsed.entities.len(), 2);
        assert_eq!(parsed.entities[0].schema.name, "Company");
        assert_eq!(parsed.entities[0].first("alias"), Some("A2"));
        assert_eq!(parsed.entities[1].origin.as_deref(), Some("x.ftm.json:4"));
    }

    #[test]
    fn bad_lines_name_file_line_and_field() {
        let cases = [
            (
                r#"{"id":"a","schema":"Person","properties":{"name":["A"]}}"#.to_string()
                    + "\n{\"id\": ",
                "x.ftm.json:2 field column",
            ),
            (
                r#"{"id":"a","schema":"Robot"}"#.into(),
                "x.ftm.json:1 (a): unknown schema \"Robot\"",
            ),
            (
                r#"{"id":"a","schema":"Person","properties":{"imoNumber":["1"]}}"#.into(),
                "schema Person has no property \"imoNumber\"",
            ),
            (
                r#"{"id":"a","schema":"Person","properties":{"name":"A"}}"#.into(),
                "property \"name\" is not a list of strings",
            ),
            (
                format!(
                    r#"{{"id":"a","schema":"Person","properties":{{"name":["{}"]}}}}"#,
                    "x".repeat(10 << 20)
                ),
                "value of name is 10485760 bytes",
            ),
        ];
        for (text, expect) in cases {
            let err = parse_text(&text, false).unwrap_err().to_string();
            assert!(err.contains(expect), "{err} does not contain {expect}");
            let skipped = parse_text(&text, true).unwrap();
            assert_eq!(skipped.warnings.len(), 1, "{expect}");
        }
    }
}
