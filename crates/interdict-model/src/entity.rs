//! Entities as FtM holds them: an id, a schema and multi-valued properties.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

use crate::error::ModelError;
use crate::schema::{Model, Property, Schema};

/// The longest value a property may hold, in bytes (FtM's text limit). Longer values are an input error.
pub const MAX_VALUE_LEN: usize = 65_000;

/// A value FtM would not hold in the property it was given for (a phone number with no
/// country code, an INN with bad check digits, an over-long identifier). It is kept as
/// text on the entity instead (`notes`, or `summary` for links and sanctions), never dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub prop: &'static str,
    pub value: String,
    pub reason: String,
}

/// One property value and, where it differs from its entity's, the source record it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropValue {
    pub value: String,
    /// e.g. `alt.csv#220` for an alias from OFAC's alias file.
    pub origin: Option<String>,
}

/// A FollowTheMoney entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    pub id: String,
    pub schema: &'static Schema,
    /// The source record the entity was read from, e.g. `sdn.csv#6861`.
    pub origin: Option<String>,
    properties: BTreeMap<&'static str, Vec<PropValue>>,
    rejected: Vec<Rejected>,
}

impl Entity {
    /// A new entity with no properties; fails for an unknown or abstract schema.
    pub fn new(id: impl Into<String>, schema: &str) -> Result<Self, ModelError> {
        let id = id.into();
        check_id(&id)?;
        let schema = concrete_schema(schema)?;
        Ok(Entity {
            id,
            schema,
            origin: None,
            properties: BTreeMap::new(),
            rejected: Vec::new(),
        })
    }

    /// Sets the source record the entity was read from.
    pub fn with_origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = Some(origin.into());
        self
    }

    /// Adds a value; blank values are ignored and repeated ones kept once.
    pub fn add(&mut self, prop: &str, value: impl AsRef<str>) -> Result<(), ModelError> {
        self.add_from(prop, value, None::<String>)
    }

    /// Adds a value read from a record other than the entity's own.
    pub fn add_from(
        &mut self,
        prop: &str,
        value: impl AsRef<str>,
        origin: Option<impl Into<String>>,
    ) -> Result<(), ModelError> {
        let property = self.settable(prop)?;
        let value = clean_value(value.as_ref());
        if value.is_empty() {
            return Ok(());
        }
        if value.len() > MAX_VALUE_LEN {
            return Err(ModelError::ValueTooLong {
                prop: property.name.into(),
                len: value.len(),
            });
        }
        let origin = origin.map(Into::into);
        match crate::value::normalize(property, &value) {
            Ok(std::borrow::Cow::Borrowed(_)) => self.push(property.name, value, origin),
            Ok(std::borrow::Cow::Owned(normal)) => self.push(property.name, normal, origin),
            Err(rejection) => self.keep_as_text(property, value, rejection.reason, origin)?,
        }
        Ok(())
    }

    fn push(&mut self, prop: &'static str, value: String, origin: Option<String>) {
        // Most properties hold one value: start small rather than at Vec's default of four.
        let values = self
            .properties
            .entry(prop)
            .or_insert_with(|| Vec::with_capacity(1));
        if !values.iter().any(|v| v.value == value) {
            values.push(PropValue { value, origin });
        }
    }

    /// Keeps a value FtM would reject for `property` as `"<prop>: <value>"` text.
    fn keep_as_text(
        &mut self,
        property: &'static Property,
        value: String,
        reason: String,
        origin: Option<String>,
    ) -> Result<(), ModelError> {
        let invalid = |reason: String| ModelError::InvalidValue {
            prop: property.name.into(),
            reason,
        };
        let text_prop = if self.schema.property("notes").is_some() {
            "notes"
        } else {
            "summary"
        };
        let Some(text) = self
            .schema
            .property(text_prop)
            .filter(|p| p.name != property.name)
        else {
            return Err(invalid(reason));
        };
        let note = format!("{}: {value}", property.name);
        if crate::value::normalize(text, &note).is_err() {
            return Err(invalid(reason));
        }
        self.push(text.name, note, origin);
        self.rejected.push(Rejected {
            prop: property.name,
            value,
            reason,
        });
        Ok(())
    }

    /// Values that were kept as text because FtM would not hold them where they were given.
    pub fn rejected(&self) -> &[Rejected] {
        &self.rejected
    }

    /// Narrows the schema to a more specific one (LegalEntity to Company, say).
    pub fn set_schema(&mut self, schema: &str) -> Result<(), ModelError> {
        let target = concrete_schema(schema)?;
        for prop in self.properties.keys() {
            if target.property(prop).is_none() {
                return Err(ModelError::UnknownProperty {
                    schema: target.name.into(),
                    prop: (*prop).into(),
                });
            }
        }
        self.schema = target;
        Ok(())
    }

    /// The values of one property, in the order they were added.
    pub fn values(&self, prop: &str) -> impl Iterator<Item = &str> {
        self.properties
            .get(prop)
            .into_iter()
            .flatten()
            .map(|v| v.value.as_str())
    }

    /// The first value of one property.
    pub fn first(&self, prop: &str) -> Option<&str> {
        self.values(prop).next()
    }

    /// Every (property, value) pair, properties sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&'static Property, &PropValue)> {
        self.properties.iter().flat_map(move |(name, values)| {
            let prop = self
                .schema
                .property(name)
                .expect("properties are checked on insert");
            values.iter().map(move |v| (prop, v))
        })
    }

    /// Whether the entity has any value for `prop`.
    pub fn has(&self, prop: &str) -> bool {
        self.properties.contains_key(prop)
    }

    /// Removes every value of `prop`.
    pub fn remove(&mut self, prop: &str) {
        self.properties.remove(prop);
    }

    /// The display name: the first value of the schema's caption properties.
    pub fn caption(&self) -> &str {
        self.schema
            .caption
            .iter()
            .find_map(|p| self.first(p))
            .unwrap_or(&self.id)
    }

    /// Moves every value of `other` into this entity (same id, schemata must agree).
    pub fn merge(&mut self, other: Entity) -> Result<(), ModelError> {
        let common = Model::get()
            .common(self.schema.name, other.schema.name)
            .ok_or_else(|| ModelError::SchemaConflict {
                id: self.id.clone(),
                left: self.schema.name.into(),
                right: other.schema.name.into(),
            })?;
        self.schema = Model::get()
            .schema(common.name)
            .expect("common schema exists");
        for (prop, values) in other.properties {
            for v in values {
                let origin = v.origin.or_else(|| other.origin.clone());
                self.add_from(prop, v.value, origin)?;
            }
        }
        self.rejected.extend(other.rejected);
        Ok(())
    }

    /// The FtM JSON form: `{"id","schema","properties":{prop:[values]}}`.
    pub fn to_ftm_json(&self) -> Json {
        let mut props = Map::new();
        for (name, values) in &self.properties {
            let list = values
                .iter()
                .map(|v| Json::String(v.value.clone()))
                .collect();
            props.insert((*name).to_string(), Json::Array(list));
        }
        serde_json::json!({ "id": self.id, "schema": self.schema.name, "properties": props })
    }

    /// Reads the FtM JSON form, checking the schema and every property name.
    pub fn from_ftm_json(json: &Json) -> Result<Self, ModelError> {
        let field = |name: &str| {
            json.get(name)
                .and_then(Json::as_str)
                .ok_or_else(|| ModelError::Json(format!("missing or non-string \"{name}\"")))
        };
        let mut entity = Entity::new(field("id")?, field("schema")?)?;
        let Some(props) = json.get("properties") else {
            return Ok(entity);
        };
        let props = props
            .as_object()
            .ok_or_else(|| ModelError::Json("\"properties\" is not an object".into()))?;
        for (prop, values) in props {
            let values = values.as_array().ok_or_else(|| {
                ModelError::Json(format!("property \"{prop}\" is not a list of strings"))
            })?;
            for value in values {
                let text = value.as_str().ok_or_else(|| {
                    ModelError::Json(format!("property \"{prop}\" holds a non-string value"))
                })?;
                entity.add(prop, text)?;
            }
        }
        Ok(entity)
    }

    fn settable(&self, prop: &str) -> Result<&'static Property, ModelError> {
        let unknown = || ModelError::UnknownProperty {
            schema: self.schema.name.into(),
            prop: prop.into(),
        };
        let property = self.schema.property(prop).ok_or_else(unknown)?;
        if property.stub {
            return Err(ModelError::StubProperty { prop: prop.into() });
        }
        Ok(property)
    }
}

fn concrete_schema(name: &str) -> Result<&'static Schema, ModelError> {
    match Model::get().schema(name) {
        Some(s) if !s.is_abstract => Ok(s),
        Some(_) => Err(ModelError::AbstractSchema(name.into())),
        None => Err(ModelError::UnknownSchema(name.into())),
    }
}

fn check_id(id: &str) -> Result<(), ModelError> {
    if id.is_empty() || id.len() > 256 || id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ModelError::BadId(id.chars().take(80).collect()));
    }
    Ok(())
}

/// Trims a value and folds runs of white space into one space; control characters go.
pub fn clean_value(raw: &str) -> String {
    if is_clean(raw) {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    for word in raw.split(|c: char| c.is_whitespace() || c.is_control()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Most list values are already clean; checking is cheaper than rebuilding.
fn is_clean(raw: &str) -> bool {
    let mut previous_space = true;
    for c in raw.chars() {
        let space = c == ' ';
        if (space && previous_space) || (!space && (c.is_whitespace() || c.is_control())) {
            return false;
        }
        previous_space = space;
    }
    !previous_space || raw.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_values_are_kept_and_others_folded() {
        for (raw, want) in [
            ("A B", "A B"),
            ("", ""),
            (" A", "A"),
            ("A ", "A"),
            ("A  B", "A B"),
            ("A\tB", "A B"),
            ("A\u{0}B", "A B"),
            ("É Ñ", "É Ñ"),
            ("A\u{a0}B", "A B"),
        ] {
            assert_eq!(clean_value(raw), want, "{raw:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn cleaning_twice_is_cleaning_once(raw in "\\PC{0,40}|[ \\t\\n\\u{a0}a-c]{0,20}") {
            let once = clean_value(&raw);
            proptest::prop_assert_eq!(clean_value(&once), once.clone());
            proptest::prop_assert!(is_clean(&once));
        }
    }

    #[test]
    fn values_are_cleaned_deduplicated_and_checked() {
        let mut e = Entity::new("ofac-6861", "Person").unwrap();
        e.add("name", "  GUZMAN LOERA,\n Joaquin ").unwrap();
        e.add("name", "GUZMAN LOERA, Joaquin").unwrap();
        e.add("alias", "   ").unwrap();
        assert_eq!(
            e.values("name").collect::<Vec<_>>(),
            ["GUZMAN LOERA, Joaquin"]
        );
        assert!(!e.has("alias"));
        assert!(matches!(
            e.add("imoNumber", "1"),
            Err(ModelError::UnknownProperty { .. })
        ));
        assert!(matches!(
            e.add("sanctions", "x"),
            Err(ModelError::StubProperty { .. })
        ));
        let long = "x".repeat(MAX_VALUE_LEN + 1);
        assert!(matches!(
            e.add("notes", long),
            Err(ModelError::ValueTooLong { .. })
        ));
    }

    #[test]
    fn values_ftm_would_reject_are_kept_as_text() {
        let mut org = Entity::new("ofac-1", "Organization").unwrap();
        org.add("phone", "+52 33 3614 1234").unwrap();
        org.add("phone", "03669916").unwrap();
        assert_eq!(org.values("phone").collect::<Vec<_>>(), ["+523336141234"]);
        assert_eq!(org.values("notes").collect::<Vec<_>>(), ["phone: 03669916"]);
        assert_eq!(org.rejected().len(), 1);
        assert_eq!(org.rejected()[0].prop, "phone");
        let mut id = Entity::new("ofac-id-1", "Identification").unwrap();
        id.add("number", "x".repeat(100)).unwrap();
        assert!(!id.has("number"));
        assert!(id.first("summary").unwrap().starts_with("number: xxx"));
    }

    #[test]
    fn schema_rules_hold() {
        assert!(matches!(
            Entity::new("a", "Thing"),
            Err(ModelError::AbstractSchema(_))
        ));
        assert!(matches!(
            Entity::new("a", "Robot"),
            Err(ModelError::UnknownSchema(_))
        ));
        assert!(matches!(
            Entity::new("a b", "Person"),
            Err(ModelError::BadId(_))
        ));
        let mut le = Entity::new("ofac-1", "LegalEntity").unwrap();
        le.add("name", "X").unwrap();
        let mut co = Entity::new("ofac-1", "Company").unwrap();
        co.add("alias", "Y").unwrap();
        le.merge(co).unwrap();
        assert_eq!(le.schema.name, "Company");
        assert_eq!(le.caption(), "X");
        let person = Entity::new("ofac-1", "Person").unwrap();
        assert!(matches!(
            le.merge(person),
            Err(ModelError::SchemaConflict { .. })
        ));
    }

    #[test]
    fn ftm_json_round_trips() {
        let mut e = Entity::new("ofac-11440", "Organization").unwrap();
        e.add("name", "SINALOA CARTEL").unwrap();
        e.add("alias", "CARTEL DE SINALOA").unwrap();
        let json = e.to_ftm_json();
        assert_eq!(json["properties"]["alias"][0], "CARTEL DE SINALOA");
        assert_eq!(Entity::from_ftm_json(&json).unwrap(), e);
        let bad = serde_json::json!({"id": "x", "schema": "Person", "properties": {"name": [1]}});
        assert!(matches!(
            Entity::from_ftm_json(&bad),
            Err(ModelError::Json(_))
        ));
    }
}
