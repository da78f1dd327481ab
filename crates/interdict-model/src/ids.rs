//! Entity id conventions (DESIGN.md, "Ids").
//!
//! OFAC entries are `ofac-<ent_num>`, UN entries `un-<reference number>`; other
//! sources use `<source>-<source id>`. Derived entities (sanctions, addresses,
//! links) use a stable hash of their defining values, so they keep their id
//! across list versions as long as what defines them does not change.

use sha2::{Digest, Sha256};

/// `ofac-<ent_num>`.
pub fn ofac(ent_num: u64) -> String {
    format!("ofac-{ent_num}")
}

/// `un-<reference number>`, e.g. `un-QDi.001`.
pub fn un(reference: &str) -> String {
    format!("un-{}", reference.trim())
}

/// `<prefix>-<16 hex digits of a hash of parts>`.
pub fn derived(prefix: &str, parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    format!("{prefix}-{}", &hex::encode(hasher.finalize())[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_conventions() {
        assert_eq!(ofac(6861), "ofac-6861");
        assert_eq!(un(" QDi.001 "), "un-QDi.001");
        let a = derived("ofac-san", &["ofac-6861", "SDNTK"]);
        assert_eq!(a, derived("ofac-san", &["ofac-6861", "SDNTK"]));
        assert_ne!(a, derived("ofac-san", &["ofac-6861", "SDGT"]));
        assert!(a.starts_with("ofac-san-") && a.len() == "ofac-san-".len() + 16);
    }
}
