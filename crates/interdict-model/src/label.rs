//! Releasability labels: who may see a statement.
//!
//! Every statement carries one from day one. Public lists carry [`Label::public`];
//! the label algebra (join, partner releasability) comes with sharing.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A releasability label, e.g. `PUBLIC`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Label(String);

impl Label {
    /// The label of public official lists: anyone may see it.
    pub fn public() -> Self {
        Label("PUBLIC".into())
    }

    /// A label from its stored text.
    pub fn new(text: impl Into<String>) -> Self {
        Label(text.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Label {
    fn default() -> Self {
        Label::public()
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
