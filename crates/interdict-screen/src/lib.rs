//! Name screening against designated parties: normalisation and transliteration, an in-memory
//! candidate index, token-level scoring with qualifiers, and an explanation for every result.
//!
//! ```
//! use interdict_model::Entity;
//! use interdict_screen::{Query, ScreenIndex, default_threshold};
//!
//! let mut chapo = Entity::new("ofac-6861", "Person").unwrap();
//! chapo.add("name", "GUZMAN LOERA, Joaquin").unwrap();
//! chapo.add("weakAlias", "EL CHAPO").unwrap();
//! let index = ScreenIndex::build(&[chapo]);
//!
//! let query = Query { schema: Some("Person".into()), ..Query::name("Joaquin Guzman") };
//! let hits = index.screen(&query, 5, default_threshold(Some("Person")));
//! assert_eq!(hits[0].entity_id, "ofac-6861");
//! assert_eq!(hits[0].matched_name, "GUZMAN LOERA, Joaquin");
//! ```
//!
//! **Architecture invariant:** this crate does no I/O. It reads no files, no network and no
//! store: callers hand it entities and queries. Suppression lists, list versions and batch
//! input live with the callers.
#![warn(missing_docs)]
#![allow(missing_docs)] // fields are named as the results and FtM name them

pub mod eval;
pub mod explain;
pub mod index;
pub mod normalize;
pub mod ofac;
pub mod phonetic;
pub mod qualifier;
pub mod query;
pub mod score;

pub use explain::{ALGORITHM_VERSION, Feature, Match, Outcome};
pub use index::ScreenIndex;
pub use query::{Query, default_threshold};
