//! The data model of interdict: FollowTheMoney-compatible entities, statements
//! with provenance, and releasability labels.
//!
//! ```
//! use interdict_model::{Entity, Label, Statement};
//!
//! let mut cartel = Entity::new("ofac-11440", "Organization").unwrap();
//! cartel.add("name", "SINALOA CARTEL").unwrap();
//! let statements = Statement::from_entity(&cartel, "ofac-sdn", "2024-05-03", &Label::public());
//! assert_eq!(statements[0].prop, "name");
//! ```
//!
//! **Architecture invariant:** this crate does no I/O. Everything in it is pure
//! data and the rules that keep it valid (known schemata, settable properties,
//! bounded values).
#![warn(missing_docs)]
#![allow(missing_docs)] // fields and variants are named as FtM names them

pub mod country;
pub mod entity;
pub mod error;
pub mod ids;
pub mod label;
pub mod schema;
pub mod statement;
pub mod value;

pub use entity::{Entity, PropValue, Rejected};
pub use error::ModelError;
pub use label::Label;
pub use schema::{Model, PropType, Property, Schema};
pub use statement::{Provenance, Statement, StatementId, entities_from_statements};
