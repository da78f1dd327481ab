//! Screening the stored customer base, and rescreening it when a list changes.
//!
//! A run compares each customer with the parties it has not yet been compared with as they
//! are now: a customer new or changed since the last run with every party, the others only
//! with the parties new or changed since then (each party's fingerprint is a hash of what
//! screening reads, and of the algorithm's version). A hit is alerted when it is new, or when
//! its party changed and it now matches better (a new alias, a birth date that agrees); a hit
//! that no longer stands (its party delisted or changed, or the customer changed) is
//! withdrawn without an alert. A pair decided as a false positive stays quiet until its
//! party changes.

use std::collections::{HashMap, HashSet};
use std::io::Write;

use anyhow::{Result, bail};
use interdict_model::Entity;
use interdict_screen::index::PartyKind;
use interdict_screen::{ALGORITHM_VERSION, Match, Query, ScreenIndex, default_threshold};
use interdict_store::{Customer, Hit, NewAlert, ScreeningCommit, Store, StoredCustomer};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::exposure::Network;

/// Hits kept per customer.
const LIMIT: usize = 5;

/// How much better a standing hit must match, once its party changed, to be alerted again.
const RISE: f64 = 0.01;

/// What a run did.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub run: i64,
    pub customers: usize,
    /// Customers compared with every party (new or changed since the last run).
    pub screened_whole: usize,
    pub parties: usize,
    /// Parties new or changed since the last run, and those gone.
    pub parties_changed: usize,
    pub parties_gone: usize,
    /// Hits found by this run (new, or found again by a customer or party looked at again).
    pub hits: usize,
    pub withdrawn: usize,
    pub alerts: Vec<String>,
    pub seconds: f64,
}

/// Each indexed party's fingerprint: a hash of the algorithm's version, the party as stored,
/// and the documents and wallets screening folds into it (those naming it as `holder`).
fn fingerprints(entities: &[Entity]) -> HashMap<String, String> {
    let json = |entity: &Entity| {
        let mut json = entity.to_ftm_json();
        if let Some(object) = json.as_object_mut() {
            object.remove("origin");
        }
        json.to_string()
    };
    let mut held: HashMap<&str, Vec<String>> = HashMap::new();
    for entity in entities {
        if matches!(
            entity.schema.name,
            "Identification" | "Passport" | "CryptoWallet"
        ) {
            for holder in entity.values("holder") {
                held.entry(holder).or_default().push(json(entity));
            }
        }
    }
    entities
        .iter()
        .filter(|e| PartyKind::of_schema(e.schema.name).is_some())
        .map(|entity| {
            let mut hasher = Sha256::new();
            hasher.update(ALGORITHM_VERSION.as_bytes());
            hasher.update([0]);
            hasher.update(json(entity).as_bytes());
            if let Some(documents) = held.get_mut(entity.id.as_str()) {
                documents.sort();
                for document in documents.iter() {
                    hasher.update([0]);
                    hasher.update(document.as_bytes());
                }
            }
            (entity.id.clone(), hex::encode(&hasher.finalize()[..16]))
        })
        .collect()
}

fn query(customer: &Customer) -> Query {
    Query {
        name: customer.name.clone(),
        schema: customer.schema.clone(),
        birth_date: customer.birth_date.clone(),
        country: customer.country.clone(),
        gender: customer.gender.clone(),
        id_number: customer.id_number.clone(),
    }
}

/// Screens what the last run has not, and records hits, withdrawals and alerts as one run;
/// `None` when no customers are stored.
pub async fn run(store: &dyn Store, threshold: Option<f64>) -> Result<Option<Outcome>> {
    let started = std::time::Instant::now();
    if let Some(t) = threshold.filter(|t| !(0.0..=1.0).contains(t)) {
        bail!("--threshold {t} is not between 0 and 1");
    }
    // The baseline first: customers imported while the run reads them are screened again by
    // the next run, and a run committed meanwhile makes this one's commit refused.
    let base = store.screening_baseline().await?;
    // Hits are kept at or above a run's threshold: another threshold sees every customer anew.
    let same_threshold = base.run == 0 || base.last_detail["threshold"] == json!(threshold);
    let mut customers: Vec<StoredCustomer> = Vec::new();
    store
        .each_customer(&mut |mut c| {
            c.screened &= same_threshold;
            customers.push(c);
            Ok(())
        })
        .await?;
    if customers.is_empty() {
        return Ok(None);
    }
    let mut entities: Vec<Entity> = Vec::new();
    Network::load_for_screening(store, &mut |entity, _| {
        entities.push(entity);
        Ok(())
    })
    .await?;
    if entities.is_empty() {
        bail!("the store holds no lists yet: run `interdict ingest` first");
    }
    let fingerprints = fingerprints(&entities);
    let index = ScreenIndex::build(&entities);
    let before: HashMap<&str, &str> = base
        .fingerprints
        .iter()
        .map(|(id, fp)| (id.as_str(), fp.as_str()))
        .collect();
    let changed: HashSet<&str> = fingerprints
        .iter()
        .filter(|(id, fp)| before.get(id.as_str()) != Some(&fp.as_str()))
        .map(|(id, _)| id.as_str())
        .collect();
    let gone: HashSet<&str> = before
        .keys()
        .copied()
        .filter(|id| !fingerprints.contains_key(*id))
        .collect();
    let mut suppressed: HashMap<String, HashSet<String>> = HashMap::new();
    for s in store.suppressions(None).await? {
        suppressed
            .entry(s.customer_id)
            .or_default()
            .insert(s.entity_id);
    }
    // Customers seen before are compared with the new and changed parties only: an index of
    // those, weighed as the whole, so that each scores as it would there.
    let delta = index.subset(&entities, |e| changed.contains(e.id.as_str()));
    drop(entities);
    let found = screen_all(&index, &delta, &customers, threshold);

    let mut old: HashMap<(&str, &str), &Hit> = HashMap::new();
    for hit in &base.hits {
        old.insert((hit.customer_id.as_str(), hit.entity_id.as_str()), hit);
    }
    let mut commit = ScreeningCommit {
        after_run: base.run,
        customers_upto: base.customers_upto,
        ..ScreeningCommit::default()
    };
    let versions: serde_json::Map<String, serde_json::Value> = store
        .versions(None)
        .await?
        .into_iter()
        .map(|v| (v.dataset, json!(v.version)))
        .collect();
    let by_customer: HashMap<&str, &StoredCustomer> = customers
        .iter()
        .map(|c| (c.customer.id.as_str(), c))
        .collect();
    // Hits that were looked at again this run and not found again are withdrawn.
    for hit in &base.hits {
        let customer = by_customer.get(hit.customer_id.as_str());
        let looked_again = match customer {
            None => true,
            Some(c) => !c.screened || changed.contains(hit.entity_id.as_str()),
        } || gone.contains(hit.entity_id.as_str());
        let found_now = found.get(hit.customer_id.as_str());
        let still = found_now.is_some_and(|ms| ms.iter().any(|m| m.entity_id == hit.entity_id));
        // A full list of matches may have pushed a standing hit below its cut: it stays.
        let crowded = found_now.is_some_and(|ms| ms.len() >= LIMIT);
        let delisted = gone.contains(hit.entity_id.as_str());
        if delisted || (looked_again && !still && !crowded) {
            commit
                .withdrawn
                .push((hit.customer_id.clone(), hit.entity_id.clone()));
        }
    }
    let mut whole = 0;
    for customer in &customers {
        let id = customer.customer.id.as_str();
        whole += usize::from(!customer.screened);
        let Some(matches) = found.get(id) else {
            continue;
        };
        for m in matches {
            let fp = &fingerprints[&m.entity_id];
            let previous = old.get(&(id, m.entity_id.as_str()));
            commit.hits.push(Hit {
                customer_id: id.to_string(),
                entity_id: m.entity_id.clone(),
                score: m.score,
                fingerprint: fp.clone(),
            });
            let decided = suppressed.get(id).is_some_and(|s| s.contains(&m.entity_id));
            let entity = m.entity_id.as_str();
            let tell = if decided {
                // Decided not to be this customer: told again only once the party changed.
                before.contains_key(entity) && changed.contains(entity)
            } else {
                // Seen before as it is now, or changed (the party, or the customer) without
                // matching any better (a new address, a remark): nothing new to tell.
                let changed = |p: &&Hit| &p.fingerprint != fp || !customer.screened;
                previous.is_none_or(|p| changed(p) && m.score >= p.score + RISE)
            };
            if !tell {
                continue;
            }
            commit.alerts.push(alert(
                customer,
                m,
                fp,
                previous.is_some(),
                decided,
                &versions,
            ));
        }
    }
    commit.fingerprints = fingerprints
        .iter()
        .map(|(id, fp)| (id.clone(), fp.clone()))
        .collect();
    commit.fingerprints.sort();
    commit.detail = json!({
        "threshold": threshold, "algorithm": ALGORITHM_VERSION, "lists": versions,
        "customers": customers.len(), "screened_whole": whole,
        "parties_changed": changed.len(), "parties_gone": gone.len(),
    });
    let committed = store.commit_screening(&commit).await?;
    Ok(Some(Outcome {
        run: committed.run,
        customers: customers.len(),
        screened_whole: whole,
        parties: index.len(),
        parties_changed: changed.len(),
        parties_gone: gone.len(),
        hits: commit.hits.len(),
        withdrawn: commit.withdrawn.len(),
        alerts: committed.alerts.into_iter().map(|a| a.id).collect(),
        seconds: started.elapsed().as_secs_f64(),
    }))
}

fn alert(
    customer: &StoredCustomer,
    m: &Match,
    fingerprint: &str,
    seen_before: bool,
    decided: bool,
    versions: &serde_json::Map<String, serde_json::Value>,
) -> NewAlert {
    let id = &customer.customer.id;
    let why = match (seen_before, decided) {
        (_, true) => "a party decided not to be this customer has changed",
        (true, false) => "the listed party has changed",
        (false, false) if customer.screened => "a new or changed listing",
        (false, false) => "a new or changed customer",
    };
    NewAlert {
        source: if customer.screened {
            "rescreening"
        } else {
            "screening"
        }
        .into(),
        dedupe: format!("screening {id} {} {fingerprint}", m.entity_id),
        subject: id.clone(),
        entity_id: Some(m.entity_id.clone()),
        score: Some(m.score),
        severity: if m.score >= 0.9 { "high" } else { "medium" }.into(),
        summary: format!(
            "customer {id} ({}) resembles {} ({}), score {:.2}: {why}",
            customer.customer.name, m.caption, m.entity_id, m.score
        ),
        detail: json!({ "customer": customer.customer, "match": m, "lists": versions }),
    }
}

/// Each customer compared with what it has not been compared with, on every core: customers
/// not yet screened as they are with the whole `index`, the others with `delta`.
fn screen_all<'c>(
    index: &ScreenIndex,
    delta: &ScreenIndex,
    customers: &'c [StoredCustomer],
    threshold: Option<f64>,
) -> HashMap<&'c str, Vec<Match>> {
    let todo: Vec<&StoredCustomer> = customers
        .iter()
        .filter(|c| !c.screened || !delta.is_empty())
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_thread = todo.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = todo
            .chunks(per_thread)
            .map(|part| {
                scope.spawn(move || {
                    let mut found = Vec::new();
                    for c in part {
                        let q = query(&c.customer);
                        let t = threshold.unwrap_or_else(|| default_threshold(q.schema.as_deref()));
                        let against = if c.screened { delta } else { index };
                        let matches = against.screen_where(&q, LIMIT, t, |_| true);
                        if !matches.is_empty() {
                            found.push((c.customer.id.as_str(), matches));
                        }
                    }
                    found
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a screening thread panicked"))
            .collect()
    })
}

/// Prints a run's outcome.
pub fn print(out: &mut impl Write, outcome: &Outcome, json: bool) -> Result<()> {
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(outcome)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "screening run {}: {} customers ({} screened whole), {} parties ({} new or changed, {} gone), \
         {} hits found or refreshed, {} withdrawn, {} alerts raised, {:.1} s",
        outcome.run,
        outcome.customers,
        outcome.screened_whole,
        outcome.parties,
        outcome.parties_changed,
        outcome.parties_gone,
        outcome.hits,
        outcome.withdrawn,
        outcome.alerts.len(),
        outcome.seconds
    )?;
    if !outcome.alerts.is_empty() {
        let shown: Vec<&str> = outcome.alerts.iter().take(20).map(String::as_str).collect();
        let more = outcome.alerts.len() - shown.len();
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        writeln!(out, "alerts: {}{tail}", shown.join(", "))?;
    }
    Ok(())
}
