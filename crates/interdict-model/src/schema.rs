//! The FollowTheMoney schemata interdict supports, read from `ftm_schema.tsv`.
//!
//! The table is generated from the `followthemoney` Python library by
//! `tools/ftm_schema.py`; CI checks it against that library, so property names
//! and types here are FtM's own.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

const TABLE: &str = include_str!("ftm_schema.tsv");

/// The type of a property's values, as FtM names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PropType {
    Address,
    Country,
    Date,
    Email,
    Entity,
    Gender,
    Identifier,
    Language,
    Name,
    Number,
    Phone,
    String,
    Text,
    Topic,
    Url,
}

impl PropType {
    /// The type FtM calls `s`.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "address" => Self::Address,
            "country" => Self::Country,
            "date" => Self::Date,
            "email" => Self::Email,
            "entity" => Self::Entity,
            "gender" => Self::Gender,
            "identifier" => Self::Identifier,
            "language" => Self::Language,
            "name" => Self::Name,
            "number" => Self::Number,
            "phone" => Self::Phone,
            "string" => Self::String,
            "text" => Self::Text,
            "topic" => Self::Topic,
            "url" => Self::Url,
            _ => return None,
        })
    }

    /// FtM's name for the type.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Address => "address",
            Self::Country => "country",
            Self::Date => "date",
            Self::Email => "email",
            Self::Entity => "entity",
            Self::Gender => "gender",
            Self::Identifier => "identifier",
            Self::Language => "language",
            Self::Name => "name",
            Self::Number => "number",
            Self::Phone => "phone",
            Self::String => "string",
            Self::Text => "text",
            Self::Topic => "topic",
            Self::Url => "url",
        }
    }
}

impl fmt::Display for PropType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One property declared by a schema.
#[derive(Debug)]
pub struct Property {
    /// FtM property name, e.g. `birthDate`.
    pub name: &'static str,
    /// The schema that declares it.
    pub schema: &'static str,
    pub prop_type: PropType,
    /// For entity properties: the schema of the referenced entity.
    pub range: Option<&'static str>,
    /// For entity properties: the property of the referenced schema that reads the link the
    /// other way (`Ownership.asset` ↔ `ownershipAsset`).
    pub reverse: Option<&'static str>,
    /// A stub is the reverse side of an entity reference: it is never set in data.
    pub stub: bool,
    /// A stricter format within the type, as FtM names it (`inn`, `lei`, `imo`, `iban`, …).
    pub format: Option<&'static str>,
}

/// One schema with every property it declares or inherits.
#[derive(Debug)]
pub struct Schema {
    pub name: &'static str,
    pub parents: Vec<&'static str>,
    pub is_abstract: bool,
    /// Properties whose first value names the entity, in order of preference.
    pub caption: Vec<&'static str>,
    pub required: Vec<&'static str>,
    ancestors: Vec<&'static str>,
    properties: HashMap<&'static str, &'static Property>,
}

impl Schema {
    /// The property `name`, declared here or inherited.
    pub fn property(&self, name: &str) -> Option<&'static Property> {
        self.properties.get(name).copied()
    }

    /// Every property, declared or inherited, sorted by name.
    pub fn properties(&self) -> Vec<&'static Property> {
        let mut all: Vec<_> = self.properties.values().copied().collect();
        all.sort_by_key(|p| p.name);
        all
    }

    /// Whether this schema is `other` or descends from it.
    pub fn is_a(&self, other: &str) -> bool {
        self.name == other || self.ancestors.contains(&other)
    }

    /// Whether a value of this schema may stand where `range` is expected.
    pub fn fits(&self, range: &str) -> bool {
        self.is_a(range)
    }
}

impl PartialEq for Schema {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Schema {}

impl fmt::Display for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// All schemata interdict knows.
pub struct Model {
    schemata: HashMap<&'static str, Schema>,
}

static MODEL: LazyLock<Model> = LazyLock::new(Model::load);

impl Model {
    /// The process-wide model.
    pub fn get() -> &'static Model {
        &MODEL
    }

    /// A schema by its FtM name.
    pub fn schema(&self, name: &str) -> Option<&Schema> {
        self.schemata.get(name)
    }

    /// The names of every schema, sorted.
    pub fn schema_names(&self) -> Vec<&'static str> {
        let mut names: Vec<_> = self.schemata.keys().copied().collect();
        names.sort_unstable();
        names
    }

    /// The most specific of two schemata when one descends from the other.
    pub fn common(&self, a: &str, b: &str) -> Option<&Schema> {
        let (sa, sb) = (self.schema(a)?, self.schema(b)?);
        if sa.is_a(b) {
            Some(sa)
        } else if sb.is_a(a) {
            Some(sb)
        } else {
            None
        }
    }

    fn load() -> Model {
        let mut declared: HashMap<&'static str, Vec<&'static Property>> = HashMap::new();
        let mut heads = Vec::new();
        for line in TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let cols: Vec<&'static str> = line.split('\t').collect();
            match cols[0] {
                "schema" => heads.push(cols),
                "prop" => {
                    let prop_type = PropType::parse(cols[3])
                        .unwrap_or_else(|| panic!("ftm_schema.tsv: unknown type {}", cols[3]));
                    let prop = Box::leak(Box::new(Property {
                        name: cols[2],
                        schema: cols[1],
                        prop_type,
                        range: Some(cols[4]).filter(|r| !r.is_empty()),
                        reverse: cols.get(5).copied().filter(|r| !r.is_empty()),
                        stub: cols.get(6) == Some(&"stub"),
                        format: cols.get(7).copied().filter(|f| !f.is_empty()),
                    }));
                    declared.entry(cols[1]).or_default().push(prop);
                }
                other => panic!("ftm_schema.tsv: unknown row kind {other}"),
            }
        }
        let parents: HashMap<&'static str, Vec<&'static str>> =
            heads.iter().map(|c| (c[1], split_list(c[2]))).collect();
        let mut schemata = HashMap::new();
        for cols in &heads {
            let ancestors = ancestors_of(cols[1], &parents);
            let mut properties = HashMap::new();
            for owner in std::iter::once(&cols[1]).chain(ancestors.iter()) {
                for prop in declared.get(owner).into_iter().flatten() {
                    properties.entry(prop.name).or_insert(*prop);
                }
            }
            let schema = Schema {
                name: cols[1],
                parents: split_list(cols[2]),
                is_abstract: cols[3] == "abstract",
                caption: split_list(cols[4]),
                required: split_list(cols[5]),
                ancestors,
                properties,
            };
            schemata.insert(schema.name, schema);
        }
        Model { schemata }
    }
}

fn split_list(s: &'static str) -> Vec<&'static str> {
    s.split(',').filter(|p| !p.is_empty()).collect()
}

fn ancestors_of(
    name: &'static str,
    parents: &HashMap<&'static str, Vec<&'static str>>,
) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut stack: Vec<&'static str> = parents.get(name).cloned().unwrap_or_default();
    while let Some(p) = stack.pop() {
        if !out.contains(&p) {
            out.push(p);
            stack.extend(parents.get(p).into_iter().flatten());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_inherits_thing_and_legal_entity_properties() {
        let person = Model::get().schema("Person").unwrap();
        assert_eq!(
            person.property("birthDate").unwrap().prop_type,
            PropType::Date
        );
        assert_eq!(person.property("alias").unwrap().schema, "Thing");
        assert_eq!(person.property("taxNumber").unwrap().schema, "LegalEntity");
        assert!(person.is_a("LegalEntity") && person.is_a("Thing"));
        assert!(!person.is_a("Organization"));
    }

    #[test]
    fn company_is_both_organization_and_asset() {
        let company = Model::get().schema("Company").unwrap();
        assert!(company.is_a("Organization") && company.is_a("Asset"));
        assert_eq!(
            Model::get().common("LegalEntity", "Company").unwrap().name,
            "Company"
        );
        assert!(Model::get().common("Person", "Company").is_none());
    }

    #[test]
    fn reverse_properties_are_stubs() {
        let person = Model::get().schema("Person").unwrap();
        assert!(person.property("sanctions").unwrap().stub);
        let sanction = Model::get().schema("Sanction").unwrap();
        let entity = sanction.property("entity").unwrap();
        assert!(!entity.stub);
        assert_eq!(entity.range, Some("Thing"));
    }

    #[test]
    fn every_issue_schema_is_present() {
        for name in [
            "Person",
            "Organization",
            "Company",
            "LegalEntity",
            "Vessel",
            "Airplane",
            "CryptoWallet",
            "BankAccount",
            "RealEstate",
            "Address",
            "Identification",
            "Sanction",
            "Ownership",
            "Directorship",
            "Family",
            "Associate",
            "Membership",
            "UnknownLink",
        ] {
            let schema = Model::get()
                .schema(name)
                .unwrap_or_else(|| panic!("{name} missing"));
            assert!(!schema.is_abstract, "{name}");
        }
    }
}
