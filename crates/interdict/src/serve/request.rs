//! Reading what a client sent: query-string parameters and JSON bodies, each refused with an
//! error that names the parameter or the field at fault.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use interdict_model::Model;
use serde::de::{self, DeserializeOwned, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::error::ApiError;

/// The most queries in one `/match` request.
pub const MAX_QUERIES: usize = 100;
/// The most values of one property in one query.
pub const MAX_VALUES: usize = 20;
/// The longest value accepted, in characters: no name or identifier is longer.
pub const MAX_VALUE_CHARS: usize = 2_000;
/// The most results asked for.
pub const MAX_LIMIT: usize = 500;

/// A `/match` body in yente's shape: queries keyed by the client's own names.
#[derive(Debug, Deserialize)]
pub struct MatchBody {
    pub queries: BTreeMap<String, EntityQuery>,
    /// yente's scoring weights and matcher configuration: accepted for compatibility and
    /// not used, since interdict's matcher is not tuned per request.
    #[serde(default, rename = "weights")]
    pub _weights: Option<serde_json::Value>,
    #[serde(default, rename = "config")]
    pub _config: Option<serde_json::Value>,
}

/// One entity to match: an FtM schema and properties, as yente takes them.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EntityQuery {
    pub schema: String,
    #[serde(default)]
    pub properties: BTreeMap<String, Values>,
    /// interdict's own: the customer this query screens, so that decided false positives
    /// for that customer are not raised again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    /// Ignored; yente's examples carry one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// A property's values: yente takes a string or a list of strings.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(transparent)]
pub struct Values(pub Vec<String>);

impl<'de> Deserialize<'de> for Values {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValuesVisitor;
        impl<'de> Visitor<'de> for ValuesVisitor {
            type Value = Values;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Values, E> {
                Ok(Values(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Values, A::Error> {
                let mut values = Vec::new();
                while let Some(v) = seq.next_element::<String>()? {
                    values.push(v);
                }
                Ok(Values(values))
            }
        }
        deserializer.deserialize_any(ValuesVisitor)
    }
}

/// Parses a JSON body, naming the field at fault (`queries.q1.properties.name`).
pub fn json_body<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, ApiError> {
    let bytes = body.map_err(|r| {
        let code = if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            "body_too_large"
        } else {
            "unreadable_body"
        };
        ApiError::new(r.status(), code, r.body_text())
    })?;
    if bytes.is_empty() {
        return Err(ApiError::bad_request(
            "invalid_json",
            "the request has no body; send a JSON object",
        ));
    }
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::bad_request(
            "invalid_json",
            "the body is not a JSON object (it should start with `{`)",
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let at = match path.as_str() {
            "." | "?" => String::new(),
            _ => format!("{path}: "),
        };
        ApiError::bad_request("invalid_json", format!("{at}{inner}"))
    })?;
    deserializer
        .end()
        .map_err(|e| ApiError::bad_request("invalid_json", e.to_string()))?;
    Ok(value)
}

/// Query-string parameters, each known by name; an unknown one is refused, so that a typo
/// (`treshold`) does not silently fall back to a default.
pub struct Params {
    values: HashMap<String, String>,
}

impl Params {
    pub fn read(
        raw: Result<axum::extract::Query<HashMap<String, String>>, QueryRejection>,
        known: &[&str],
    ) -> Result<Self, ApiError> {
        let values = raw
            .map_err(|r| ApiError::bad_request("invalid_parameter", r.body_text()))?
            .0;
        if let Some(unknown) = values.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(ApiError::bad_request(
                "unknown_parameter",
                format!(
                    "unknown parameter {unknown:?}; this endpoint takes: {}",
                    known.join(", ")
                ),
            ));
        }
        Ok(Params { values })
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    pub fn score(&self, name: &str) -> Result<Option<f64>, ApiError> {
        let Some(raw) = self.text(name) else {
            return Ok(None);
        };
        match raw.parse::<f64>() {
            Ok(v) if (0.0..=1.0).contains(&v) => Ok(Some(v)),
            _ => Err(ApiError::bad_request(
                "invalid_parameter",
                format!("{name}={raw:?} is not a number between 0 and 1"),
            )),
        }
    }

    pub fn count(&self, name: &str, default: usize, max: usize) -> Result<usize, ApiError> {
        let Some(raw) = self.text(name) else {
            return Ok(default);
        };
        match raw.parse::<usize>() {
            Ok(v) if v <= max => Ok(v),
            _ => Err(ApiError::bad_request(
                "invalid_parameter",
                format!("{name}={raw:?} is not a whole number from 0 to {max}"),
            )),
        }
    }
}

/// Checks a query against the FtM model and the size limits.
pub fn check_query(key: &str, query: &EntityQuery) -> Result<(), ApiError> {
    let Some(schema) = Model::get().schema(&query.schema) else {
        return Err(ApiError::bad_request(
            "unknown_schema",
            format!(
                "queries.{key}.schema: {:?} is not an FtM schema (Person, Organization, Company, \
                 LegalEntity, Vessel, Airplane, CryptoWallet, Thing, …)",
                query.schema
            ),
        ));
    };
    if let Some(customer) = &query.customer_id {
        let chars = customer.chars().count();
        if customer.trim().is_empty() || chars > MAX_VALUE_CHARS {
            return Err(ApiError::bad_request(
                "invalid_customer_id",
                format!(
                    "queries.{key}.customer_id: {chars} characters; a customer id is 1 to \
                     {MAX_VALUE_CHARS}"
                ),
            ));
        }
    }
    for (prop, values) in &query.properties {
        if schema.property(prop).is_none() {
            return Err(ApiError::bad_request(
                "unknown_property",
                format!(
                    "queries.{key}.properties.{prop}: {} has no such property",
                    schema.name
                ),
            ));
        }
        if values.0.len() > MAX_VALUES {
            return Err(ApiError::bad_request(
                "too_many_values",
                format!(
                    "queries.{key}.properties.{prop}: {} values; at most {MAX_VALUES}",
                    values.0.len()
                ),
            ));
        }
        if let Some(long) = values
            .0
            .iter()
            .find(|v| v.chars().count() > MAX_VALUE_CHARS)
        {
            return Err(ApiError::bad_request(
                "value_too_long",
                format!(
                    "queries.{key}.properties.{prop}: a value of {} characters; at most \
                     {MAX_VALUE_CHARS}",
                    long.chars().count()
                ),
            ));
        }
    }
    Ok(())
}
