//! The in-memory candidate index: every name of every matchable party as tokens, with postings
//! by token, by phonetic key and by character 3-gram, and identifier look-ups.
//!
//! Retrieval is deliberately loose: 3-grams mean one typo costs only the three grams it touches,
//! so a true match is never lost to it; the scorer decides afterwards.

use std::collections::HashMap;

use interdict_model::Entity;

use crate::normalize::{NameKind, NormalName, Token, TokenClass, name_forms};
use crate::phonetic::metaphone;
use crate::score::{Comparable, Side};

/// How many names retrieval hands to the scorer at most, per query form.
pub const CANDIDATE_NAMES: usize = 200;

/// What a party is, as far as comparing it with a query goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyKind {
    Person,
    Organization,
    Vessel,
    Airplane,
    Wallet,
}

impl PartyKind {
    /// The kind for an FtM schema name; `None` for schemata that are not screened.
    pub fn of_schema(schema: &str) -> Option<Self> {
        Some(match schema {
            "Person" => PartyKind::Person,
            "Organization" | "Company" | "LegalEntity" | "PublicBody" => PartyKind::Organization,
            "Vessel" => PartyKind::Vessel,
            "Airplane" => PartyKind::Airplane,
            "CryptoWallet" => PartyKind::Wallet,
            _ => return None,
        })
    }

    pub(crate) fn name_kind(self) -> NameKind {
        match self {
            PartyKind::Person => NameKind::Person,
            PartyKind::Organization => NameKind::Organization,
            _ => NameKind::Other,
        }
    }
}

/// Which property of the party a name comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum NameSource {
    Name,
    Alias,
    PreviousName,
    WeakAlias,
}

const NAME_PROPS: [(&str, NameSource); 4] = [
    ("name", NameSource::Name),
    ("alias", NameSource::Alias),
    ("previousName", NameSource::PreviousName),
    ("weakAlias", NameSource::WeakAlias),
];

/// Properties that say which country a party belongs to.
pub const COUNTRY_PROPS: [&str; 6] = [
    "nationality",
    "citizenship",
    "country",
    "birthCountry",
    "flag",
    "jurisdiction",
];

/// Properties whose values identify a party on their own.
pub const ID_PROPS: [&str; 16] = [
    "idNumber",
    "passportNumber",
    "taxNumber",
    "registrationNumber",
    "imoNumber",
    "innCode",
    "ogrnCode",
    "okpoCode",
    "vatCode",
    "leiCode",
    "swiftBic",
    "socialSecurityNumber",
    "licenseNumber",
    "mmsi",
    "serialNumber",
    "publicKey",
];

/// A designated party as the scorer sees it.
#[derive(Debug, Clone)]
pub struct Party {
    pub id: String,
    pub caption: String,
    pub schema: &'static str,
    pub kind: PartyKind,
    pub birth_dates: Vec<String>,
    /// FtM country codes from nationality, citizenship, addresses, birth country and flag.
    pub countries: Vec<String>,
    pub genders: Vec<String>,
    pub names: Vec<u32>,
}

/// One normalised form of one name of a party.
#[derive(Debug, Clone)]
pub struct IndexedName {
    pub party: u32,
    pub raw: String,
    pub source: NameSource,
    pub form: NormalName,
    pub weights: Vec<f32>,
    pub metaphones: Vec<String>,
    /// The name prepared for comparison, worked out once here rather than per query.
    pub comparable: Comparable,
}

/// The screening index over a set of entities. Built once, read by any number of threads.
#[derive(Debug, Default)]
pub struct ScreenIndex {
    pub(crate) parties: Vec<Party>,
    pub(crate) names: Vec<IndexedName>,
    token_parties: HashMap<String, u32>,
    token_postings: HashMap<String, Vec<u32>>,
    metaphone_postings: HashMap<String, Vec<u32>>,
    gram_postings: HashMap<u64, Vec<u32>>,
    identifiers: HashMap<String, Vec<u32>>,
    /// For an index of some parties weighed as a larger one ([`ScreenIndex::subset`]): that
    /// index's party and name counts; zero for an index of its own.
    weigh_as: (usize, usize),
}

impl ScreenIndex {
    /// Indexes the matchable parties among `entities` (people, organisations, companies,
    /// vessels, aircraft, wallets); identification documents are folded into their holder.
    pub fn build(entities: &[Entity]) -> ScreenIndex {
        let mut index = ScreenIndex::default();
        let mut by_id = HashMap::new();
        for entity in entities {
            if let Some(kind) = PartyKind::of_schema(entity.schema.name) {
                by_id.insert(entity.id.as_str(), index.parties.len() as u32);
                index.add_party(entity, kind);
            }
        }
        for entity in entities {
            index.add_documents(entity, &by_id);
        }
        index.count_tokens();
        index.weigh_names();
        // The index lives as long as the server: spare capacity is memory held for nothing.
        index.parties.shrink_to_fit();
        index.names.shrink_to_fit();
        for postings in [
            &mut index.token_postings,
            &mut index.metaphone_postings,
            &mut index.identifiers,
        ] {
            postings.values_mut().for_each(Vec::shrink_to_fit);
        }
        index
            .gram_postings
            .values_mut()
            .for_each(Vec::shrink_to_fit);
        index
    }

    /// An index of the parties among `entities` that `keep` accepts, scoring as this index
    /// does: tokens weigh what they weigh here, so a party scores the same against a query in
    /// both. Retrieval looks only among the subset, so it may put forward a party this index
    /// would have ranked below its cut. What rescreening after a list change compares
    /// customers with: the parties new or changed since the last run.
    pub fn subset(&self, entities: &[Entity], keep: impl Fn(&Entity) -> bool) -> ScreenIndex {
        let mut index = ScreenIndex::default();
        let mut by_id = HashMap::new();
        for entity in entities.iter().filter(|e| keep(e)) {
            if let Some(kind) = PartyKind::of_schema(entity.schema.name) {
                by_id.insert(entity.id.as_str(), index.parties.len() as u32);
                index.add_party(entity, kind);
            }
        }
        for entity in entities {
            index.add_documents(entity, &by_id);
        }
        index.token_parties = self.token_parties.clone();
        index.weigh_as = (self.parties.len(), self.names.len());
        index.weigh_names();
        index
    }

    /// How many parties are indexed.
    pub fn len(&self) -> usize {
        self.parties.len()
    }

    /// Whether no party is indexed.
    pub fn is_empty(&self) -> bool {
        self.parties.is_empty()
    }

    fn add_party(&mut self, entity: &Entity, kind: PartyKind) {
        let party = self.parties.len() as u32;
        let mut names = Vec::new();
        for (prop, source) in NAME_PROPS {
            for raw in entity.values(prop) {
                for form in name_forms(raw, kind.name_kind()) {
                    names.push(self.names.len() as u32);
                    self.names.push(IndexedName {
                        party,
                        raw: raw.to_string(),
                        source,
                        form,
                        weights: Vec::new(),
                        metaphones: Vec::new(),
                        comparable: Comparable::default(),
                    });
                }
            }
        }
        for prop in ID_PROPS {
            for value in entity.values(prop) {
                self.add_identifier(value, party);
            }
        }
        let countries = COUNTRY_PROPS
            .iter()
            .flat_map(|p| entity.values(p))
            .map(str::to_string)
            .collect();
        self.parties.push(Party {
            id: entity.id.clone(),
            caption: entity.caption().to_string(),
            schema: entity.schema.name,
            kind,
            birth_dates: entity.values("birthDate").map(str::to_string).collect(),
            countries,
            genders: entity.values("gender").map(str::to_string).collect(),
            names,
        });
    }

    /// Identification and passport numbers and wallet keys also identify their holder.
    fn add_documents(&mut self, entity: &Entity, by_id: &HashMap<&str, u32>) {
        let key = match entity.schema.name {
            "Identification" | "Passport" => "number",
            "CryptoWallet" => "publicKey",
            _ => return,
        };
        for holder in entity.values("holder") {
            let Some(&party) = by_id.get(holder) else {
                continue;
            };
            for value in entity.values(key) {
                self.add_identifier(value, party);
            }
        }
    }

    fn add_identifier(&mut self, value: &str, party: u32) {
        if let Some(key) = identifier_key(value) {
            let parties = self.identifiers.entry(key).or_default();
            if !parties.contains(&party) {
                parties.push(party);
            }
        }
    }

    fn count_tokens(&mut self) {
        for party in &self.parties {
            let mut seen: Vec<&str> = party
                .names
                .iter()
                .flat_map(|&n| self.names[n as usize].form.tokens.iter())
                .map(|t| t.text.as_str())
                .collect();
            seen.sort_unstable();
            seen.dedup();
            for token in seen {
                *self.token_parties.entry(token.to_string()).or_default() += 1;
            }
        }
    }

    fn weigh_names(&mut self) {
        let mut names = std::mem::take(&mut self.names);
        for (id, name) in names.iter_mut().enumerate() {
            let tokens = &name.form.tokens;
            name.weights = tokens.iter().map(|t| self.weight(t)).collect();
            name.metaphones = tokens.iter().map(|t| metaphone(&t.text)).collect();
            name.comparable =
                Comparable::new(&name.form, &name.weights, &name.metaphones, Side::Listed);
            let mut grams = Vec::new();
            for (token, key) in tokens.iter().zip(&name.metaphones) {
                push_posting(&mut self.token_postings, token.text.clone(), id);
                if !key.is_empty() {
                    push_posting(&mut self.metaphone_postings, key.clone(), id);
                }
                grams.extend(token_grams(&token.text));
            }
            grams.sort_unstable();
            grams.dedup();
            for gram in grams {
                self.gram_postings.entry(gram).or_default().push(id as u32);
            }
        }
        self.names = names;
    }

    /// A token's weight: rare tokens say more about who is meant than common ones (an inverse
    /// document frequency over parties); particles and legal forms weigh a fifth.
    pub fn weight(&self, token: &Token) -> f32 {
        let n = match self.weigh_as.0 {
            0 => self.parties.len(),
            n => n,
        }
        .max(1) as f32;
        let df = self.token_parties.get(&token.text).copied().unwrap_or(0) as f32;
        let idf = (1.0 + n / df.max(1.0)).ln();
        let short = token.text.chars().count() == 1;
        match token.class {
            TokenClass::Word if !short => idf,
            _ => idf * 0.2,
        }
    }

    /// The parties an identifier belongs to.
    pub fn parties_with_identifier(&self, value: &str) -> &[u32] {
        identifier_key(value)
            .and_then(|key| self.identifiers.get(&key))
            .map_or(&[], Vec::as_slice)
    }

    /// Candidate names for a query form with a cheap pre-score in 0..=1, best first, at most
    /// `CANDIDATE_NAMES`. Grams carry most of it, whole tokens and phonetic keys the rest.
    pub fn candidates(&self, query: &NormalName) -> Vec<(u32, f32)> {
        SCORES.with_borrow_mut(|scores| self.candidates_into(query, scores))
    }

    fn candidates_into(&self, query: &NormalName, scores: &mut Scores) -> Vec<(u32, f32)> {
        scores.reset(self.names.len());
        let all_names = match self.weigh_as.1 {
            0 => self.names.len(),
            n => n,
        };
        let total_names = all_names.max(1) as f32;
        let mut grams: Vec<u64> = query
            .tokens
            .iter()
            .flat_map(|t| token_grams(&t.text))
            .collect();
        grams.sort_unstable();
        grams.dedup();
        let mut gram_total = 0f32;
        let common = all_names / 5;
        for gram in &grams {
            let postings = self.gram_postings.get(gram).map_or(&[][..], Vec::as_slice);
            let w = (1.0 + total_names / (postings.len() as f32 + 1.0)).ln();
            gram_total += w;
            if postings.len() > common {
                continue;
            }
            for &name in postings {
                scores.add(name, 0.6 * w);
            }
        }
        let gram_total = gram_total.max(f32::EPSILON);
        for &name in &scores.touched {
            scores.acc[name as usize] /= gram_total;
        }
        let token_total: f32 = query.tokens.iter().map(|t| self.weight(t)).sum();
        for token in &query.tokens {
            let share = 0.4 * self.weight(token) / token_total.max(f32::EPSILON);
            let exact = self.token_postings.get(&token.text);
            for &name in exact.into_iter().flatten() {
                scores.add(name, share);
            }
            let key = metaphone(&token.text);
            let sounds = self
                .metaphone_postings
                .get(&key)
                .filter(|_| !key.is_empty());
            for &name in sounds.into_iter().flatten() {
                scores.add(name, 0.5 * share);
            }
        }
        scores.top()
    }
}

thread_local! {
    /// Retrieval's accumulator, kept between queries: allocating and zeroing one slot per
    /// indexed name for every query costs more than the look-ups themselves.
    static SCORES: std::cell::RefCell<Scores> = std::cell::RefCell::default();
}

/// Pre-scores by name, and which names have one.
#[derive(Default)]
struct Scores {
    acc: Vec<f32>,
    touched: Vec<u32>,
}

impl Scores {
    fn reset(&mut self, names: usize) {
        for &name in &self.touched {
            self.acc[name as usize] = 0.0;
        }
        self.touched.clear();
        self.acc.resize(names, 0.0);
    }

    fn add(&mut self, name: u32, score: f32) {
        let slot = &mut self.acc[name as usize];
        if *slot == 0.0 {
            self.touched.push(name);
        }
        *slot += score;
    }

    /// The best `CANDIDATE_NAMES` names, best first, ties to the lower id.
    fn top(&self) -> Vec<(u32, f32)> {
        let mut hits: Vec<(u32, f32)> = self
            .touched
            .iter()
            .map(|&i| (i, self.acc[i as usize]))
            .filter(|(_, s)| *s > 0.0)
            .collect();
        let by_score = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if hits.len() > CANDIDATE_NAMES {
            hits.select_nth_unstable_by(CANDIDATE_NAMES, by_score);
            hits.truncate(CANDIDATE_NAMES);
        }
        hits.sort_unstable_by(by_score);
        hits
    }
}

fn push_posting(postings: &mut HashMap<String, Vec<u32>>, key: String, id: usize) {
    let list = postings.entry(key).or_default();
    if list.last() != Some(&(id as u32)) {
        list.push(id as u32);
    }
}

/// Character 3-grams of a token padded with a boundary mark, each packed into a `u64`.
fn token_grams(token: &str) -> Vec<u64> {
    let chars: Vec<char> = std::iter::once(' ')
        .chain(token.chars())
        .chain(std::iter::once(' '))
        .collect();
    chars
        .windows(3)
        .map(|w| (u64::from(w[0]) << 42) | (u64::from(w[1]) << 21) | u64::from(w[2]))
        .collect()
}

/// An identifier as compared: letters and digits only, upper case, without an `IMO` prefix;
/// `None` when too short to identify anyone.
pub fn identifier_key(value: &str) -> Option<String> {
    let key: String = value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let key = match key.strip_prefix("IMO") {
        Some(rest) if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) => {
            rest.to_string()
        }
        _ => key,
    };
    (key.len() >= 5).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(id: &str, schema: &str, props: &[(&str, &str)]) -> Entity {
        let mut e = Entity::new(id, schema).unwrap();
        for (p, v) in props {
            e.add(p, v).unwrap();
        }
        e
    }

    #[test]
    fn retrieval_survives_a_typo_and_documents_reach_their_holder() {
        let entities = [
            entity(
                "ofac-1",
                "Person",
                &[("name", "RASCON RAMIREZ, Jose Javier")],
            ),
            entity("ofac-2", "Person", &[("name", "LOPEZ, Maria")]),
            entity(
                "ofac-id-1",
                "Identification",
                &[("holder", "ofac-1"), ("number", "AC877214")],
            ),
            entity(
                "ofac-3",
                "Vessel",
                &[("name", "ARTAVIL"), ("imoNumber", "IMO9187629")],
            ),
        ];
        let index = ScreenIndex::build(&entities);
        assert_eq!(index.len(), 3);
        let query =
            crate::normalize::normalize_name("RASCON RZMIREZ, Jose Javier", NameKind::Person);
        let hits = index.candidates(&query);
        assert_eq!(index.names[hits[0].0 as usize].party, 0);
        assert_eq!(index.parties_with_identifier("ac-877214"), [0]);
        assert_eq!(index.parties_with_identifier("9187629"), [2]);
        assert!(index.parties_with_identifier("12").is_empty());
    }

    #[test]
    fn a_subset_scores_as_the_whole_and_keeps_its_documents() {
        let mut entities = vec![
            entity("ofac-1", "Person", &[("name", "GARCIA LOPEZ, Juan")]),
            entity("ofac-2", "Person", &[("name", "GARCIA RUIZ, Ana")]),
            entity(
                "ofac-id-2",
                "Identification",
                &[("holder", "ofac-2"), ("number", "X1234567")],
            ),
        ];
        // Many parties named Garcia make the name weigh little in the whole index.
        for i in 0..40 {
            entities.push(entity(
                &format!("ofac-g{i}"),
                "Person",
                &[("name", &format!("GARCIA, Person{i}"))],
            ));
        }
        let whole = ScreenIndex::build(&entities);
        let part = whole.subset(&entities, |e| e.id == "ofac-2");
        assert_eq!(part.len(), 1);
        let query = crate::Query {
            name: "Anna Garcia".into(),
            schema: Some("Person".into()),
            ..Default::default()
        };
        let from_whole = whole.screen_where(&query, 5, 0.0, |id| id == "ofac-2");
        let from_part = part.screen_where(&query, 5, 0.0, |_| true);
        assert_eq!(from_part.len(), 1);
        assert_eq!(from_whole[0].entity_id, from_part[0].entity_id);
        assert_eq!(from_whole[0].score, from_part[0].score);
        // Built alone, the subset would weigh the common surname as rare, and score otherwise.
        let alone = ScreenIndex::build(&entities[1..3]);
        let from_alone = alone.screen_where(&query, 5, 0.0, |_| true);
        assert!(from_part[0].score < 1.0, "{}", from_part[0].score);
        assert_ne!(from_alone[0].score, from_part[0].score);
        assert_eq!(part.parties_with_identifier("X1234567"), [0]);
    }
}
