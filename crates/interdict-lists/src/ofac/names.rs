//! Finding a party by its primary name, for `Linked To: NAME` and
//! `Aircraft Operator NAME` remarks.

use std::collections::HashMap;

/// What a name refers to in one parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    One(u64),
    /// Several parties carry this primary name.
    Ambiguous(usize),
    Missing,
}

/// Primary names (`SDN_Name`) to the parties of that name.
#[derive(Debug, Default)]
pub(super) struct NameIndex<'a> {
    by_name: HashMap<&'a str, Target>,
}

impl<'a> NameIndex<'a> {
    pub(super) fn insert(&mut self, name: &'a str, ent_num: u64) {
        let target = self.by_name.entry(name).or_insert(Target::Missing);
        *target = match *target {
            Target::Missing => Target::One(ent_num),
            Target::One(other) if other == ent_num => Target::One(ent_num),
            Target::One(_) => Target::Ambiguous(2),
            Target::Ambiguous(n) => Target::Ambiguous(n + 1),
        };
    }

    /// The party named `name`. A remark's closing `.` is ambiguous at the end of a
    /// name (`… CO., LTD.`), so the name is tried with and without one.
    pub(super) fn find(&self, name: &str) -> Target {
        let bare = name.strip_suffix('.').unwrap_or(name);
        let found = self.by_name.get(name).or_else(|| self.by_name.get(bare));
        match found {
            Some(target) => *target,
            None => self
                .by_name
                .get(format!("{bare}.").as_str())
                .copied()
                .unwrap_or(Target::Missing),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(names: &[(&str, u64)], query: &str, expect: Target) {
        let mut index = NameIndex::default();
        for (name, ent) in names {
            index.insert(name, *ent);
        }
        assert_eq!(index.find(query), expect, "{query}");
    }

    #[test]
    fn names_resolve_with_or_without_a_closing_dot() {
        let cjng = [("CARTEL DE JALISCO NUEVA GENERACION", 17671)];
        check(
            &cjng,
            "CARTEL DE JALISCO NUEVA GENERACION",
            Target::One(17671),
        );
        check(
            &cjng,
            "CARTEL DE JALISCO NUEVA GENERACION.",
            Target::One(17671),
        );
        let ltd = [("FUZHOU HONGLONG OCEAN FISHING CO., LTD.", 1)];
        check(
            &ltd,
            "FUZHOU HONGLONG OCEAN FISHING CO., LTD",
            Target::One(1),
        );
        check(&ltd, "LOS ZETAS", Target::Missing);
        let twins = [
            ("MINISTRY OF STATE SECURITY", 1),
            ("MINISTRY OF STATE SECURITY", 2),
        ];
        check(&twins, "MINISTRY OF STATE SECURITY.", Target::Ambiguous(2));
    }
}
