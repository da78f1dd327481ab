use thiserror::Error;

/// What can be wrong with an entity or a value.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ModelError {
    #[error("unknown schema {0:?}")]
    UnknownSchema(String),
    #[error("schema {0:?} is abstract and cannot hold entities")]
    AbstractSchema(String),
    #[error("schema {schema} has no property {prop:?}")]
    UnknownProperty { schema: String, prop: String },
    #[error("property {prop:?} is the reverse side of a link and cannot be set")]
    StubProperty { prop: String },
    #[error("value of {prop} is {len} bytes, over the limit of 65000")]
    ValueTooLong { prop: String, len: usize },
    #[error("invalid value of {prop}: {reason}")]
    InvalidValue { prop: String, reason: String },
    #[error("invalid entity id {0:?}")]
    BadId(String),
    #[error("entity {id} is both {left} and {right}")]
    SchemaConflict {
        id: String,
        left: String,
        right: String,
    },
    #[error("invalid FtM JSON: {0}")]
    Json(String),
}
