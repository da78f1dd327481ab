//! How much memory the screening index takes for all the bundled lists.
//!
//! ```text
//! cargo run --release -p interdict-screen --example index_memory [-- --breakdown]
//! ```
//!
//! A counting global allocator wraps the system allocator and tracks live and peak heap bytes
//! (as requested by Rust, and as glibc's `malloc_usable_size` reports them, which includes the
//! allocator's rounding). The bundled lists (`data/lists/manifest.toml`) are parsed here
//! directly, as the dev-set test does, rather than read back from a store: the entity set is the
//! same as the product indexes after `interdict ingest`. Process `VmRSS` / `VmHWM` come from
//! `/proc/self/status`. Sizes are in MB of 1,000,000 bytes.
//!
//! `--breakdown` rebuilds each part of the index in the same way `ScreenIndex::build` does, from
//! the crate's public types and functions, and measures what each part keeps on the heap. It is
//! a mirror of `index.rs`, not the index itself: the total is compared with the real one so a
//! drift shows.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::{BTreeMap, HashMap};
use std::ffi::c_void;
use std::path::PathBuf;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

use interdict_model::Entity;
use interdict_screen::index::{COUNTRY_PROPS, ID_PROPS, IndexedName, NameSource, Party, PartyKind};
use interdict_screen::normalize::{NameKind, name_forms};
use interdict_screen::phonetic::metaphone;
use interdict_screen::score::{Comparable, Side};
use interdict_screen::{Query, ScreenIndex, default_threshold};

unsafe extern "C" {
    fn malloc_usable_size(ptr: *mut c_void) -> usize;
    fn malloc_trim(pad: usize) -> i32;
}

/// Live heap bytes as requested, as usable (after malloc rounding), live allocations, and the
/// peak of requested bytes since the last reset.
static LIVE: AtomicIsize = AtomicIsize::new(0);
static LIVE_USABLE: AtomicIsize = AtomicIsize::new(0);
static LIVE_COUNT: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

struct Counting;

fn grew(bytes: usize) {
    let now = LIVE.fetch_add(bytes as isize, Relaxed) + bytes as isize;
    PEAK.fetch_max(now.max(0) as usize, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
            LIVE_COUNT.fetch_add(1, Relaxed);
            let usable = unsafe { malloc_usable_size(p.cast()) };
            LIVE_USABLE.fetch_add(usable as isize, Relaxed);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
            LIVE_COUNT.fetch_add(1, Relaxed);
            let usable = unsafe { malloc_usable_size(p.cast()) };
            LIVE_USABLE.fetch_add(usable as isize, Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let usable = unsafe { malloc_usable_size(ptr.cast()) };
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size() as isize, Relaxed);
        LIVE_USABLE.fetch_sub(usable as isize, Relaxed);
        LIVE_COUNT.fetch_sub(1, Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old_usable = unsafe { malloc_usable_size(ptr.cast()) };
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            let new_usable = unsafe { malloc_usable_size(p.cast()) };
            LIVE_USABLE.fetch_add(new_usable as isize - old_usable as isize, Relaxed);
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub((layout.size() - new_size) as isize, Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// A moment's heap and process figures.
#[derive(Clone, Copy)]
struct Snap {
    live: isize,
    usable: isize,
    count: isize,
    rss_kb: u64,
    hwm_kb: u64,
}

fn snap() -> Snap {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    Snap {
        live: LIVE.load(Relaxed),
        usable: LIVE_USABLE.load(Relaxed),
        count: LIVE_COUNT.load(Relaxed),
        rss_kb: kb("VmRSS:"),
        hwm_kb: kb("VmHWM:"),
    }
}

fn mb(bytes: isize) -> f64 {
    bytes as f64 / 1e6
}

fn row(step: &str, s: Snap, peak: Option<usize>) {
    let peak = peak.map_or_else(|| "-".to_string(), |p| format!("{:.1}", mb(p as isize)));
    println!(
        "{step:<34} {:>9.1} {:>9.1} {:>10} {:>9} {:>8.1} {:>8.1}",
        mb(s.live),
        mb(s.usable),
        s.count,
        peak,
        s.rss_kb as f64 * 1024.0 / 1e6,
        s.hwm_kb as f64 * 1024.0 / 1e6,
    );
}

fn reset_peak() {
    PEAK.store(LIVE.load(Relaxed).max(0) as usize, Relaxed);
}

/// The bundled lists as `interdict ingest` reads them, one entity per id (as the dev-set test
/// builds its corpus).
fn bundled_entities() -> Vec<Entity> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/lists/manifest.toml");
    let sources =
        interdict_lists::source::discover(&[manifest], None).expect("bundled manifest reads");
    let mut by_id: BTreeMap<String, Entity> = BTreeMap::new();
    for source in sources {
        let parsed = source
            .parse(&Default::default())
            .expect("bundled list parses");
        for entity in parsed.entities {
            match by_id.get_mut(&entity.id) {
                Some(seen) => seen
                    .merge(entity)
                    .expect("one party on two lists has one schema"),
                None => {
                    by_id.insert(entity.id.clone(), entity);
                }
            }
        }
    }
    by_id.into_values().collect()
}

const QUERIES: [(&str, Option<&str>); 6] = [
    ("Joaquin Guzman Loera", Some("Person")),
    ("Osama bin Laden", Some("Person")),
    ("Bank Melli Iran", Some("Organization")),
    ("Viktor Bout", None),
    ("Ким Чен Ын", Some("Person")),
    ("Hezbollah", None),
];

fn screen_all(index: &ScreenIndex) -> Vec<String> {
    QUERIES
        .iter()
        .map(|(name, schema)| {
            let query = Query {
                schema: schema.map(str::to_string),
                ..Query::name(*name)
            };
            let hits = index.screen(&query, 3, default_threshold(*schema));
            match hits.first() {
                Some(m) => format!(
                    "{name:?} -> {} {:?} ({:.2})",
                    m.entity_id, m.matched_name, m.score
                ),
                None => format!("{name:?} -> no match"),
            }
        })
        .collect()
}

/// Warms the lazily built tables (schemata, phonetic encoder, normalisation tables) so they do
/// not count as index bytes.
fn warm_up() {
    let mut e = Entity::new("warm-1", "Person").unwrap();
    e.add("name", "GUZMAN LOERA, Joaquin").unwrap();
    e.add("alias", "Иван Петров").unwrap();
    e.add("alias", "محمد").unwrap();
    let mut o = Entity::new("warm-2", "Organization").unwrap();
    o.add("name", "Acme Trading LLC").unwrap();
    let index = ScreenIndex::build(&[e, o]);
    let _ = screen_all(&index);
}

fn main() {
    let breakdown = std::env::args().any(|a| a == "--breakdown");
    println!("Screening index memory, bundled lists parsed directly from data/lists/manifest.toml");
    println!("(the product builds the index from the store; the entity set is the same).");
    println!("MB = 1,000,000 bytes. 'heap' = bytes requested by Rust; 'usable' = glibc's");
    println!(
        "malloc_usable_size of the same blocks (adds malloc rounding, not its 8 B headers).\n"
    );
    println!(
        "{:<34} {:>9} {:>9} {:>10} {:>9} {:>8} {:>8}",
        "step", "heap MB", "usable MB", "allocs", "peak MB", "RSS MB", "HWM MB"
    );

    warm_up();
    let s0 = snap();
    row("0 baseline (lazies warmed)", s0, None);

    reset_peak();
    let t = Instant::now();
    let entities = bundled_entities();
    let parse_time = t.elapsed();
    let s1 = snap();
    row("1 entities parsed", s1, Some(PEAK.load(Relaxed)));

    reset_peak();
    let t = Instant::now();
    let index = ScreenIndex::build(&entities);
    let build_time = t.elapsed();
    let s2 = snap();
    row(
        "2 index built (entities alive)",
        s2,
        Some(PEAK.load(Relaxed)),
    );

    let n_entities = entities.len();
    drop(entities);
    let s3 = snap();
    row("3 entities dropped", s3, None);

    unsafe { malloc_trim(0) };
    let s4 = snap();
    row("4 after malloc_trim(0)", s4, None);

    reset_peak();
    let t = Instant::now();
    let first = screen_all(&index);
    let query_time = t.elapsed();
    let second = screen_all(&index);
    let s5 = snap();
    row("5 after 12 screen queries", s5, Some(PEAK.load(Relaxed)));
    assert_eq!(first, second, "screening is repeatable");

    let parties = index.len();
    if breakdown {
        breakdown_report(&index, s5);
    }

    drop(index);
    let s6 = snap();
    row("6 index dropped", s6, None);

    println!();
    println!("entities parsed: {n_entities}; parties indexed: {parties}");
    println!(
        "parse {:.2?}, build {:.2?}, 6 queries {:.2?}",
        parse_time, build_time, query_time
    );
    for line in &first {
        println!("  {line}");
    }
    println!();
    let owned = s5.live - s6.live;
    let owned_usable = s5.usable - s6.usable;
    println!(
        "index heap (freed when the index drops, 5-6): {:.1} MB requested, {:.1} MB usable, {} blocks",
        mb(owned),
        mb(owned_usable),
        s5.count - s6.count
    );
    println!(
        "  + ~8 B malloc header per block: ~{:.1} MB  => ~{:.1} MB of malloc'd memory",
        mb((s5.count - s6.count) * 8),
        mb(owned_usable + (s5.count - s6.count) * 8)
    );
    println!(
        "index heap vs baseline after entities dropped (3-0): {:.1} MB requested",
        mb(s3.live - s0.live)
    );
    println!(
        "query scratch kept per thread (5-4, thread-local accumulators): {:.2} MB",
        mb(s5.live - s4.live)
    );
    println!(
        "RSS with the index alone (after trim, 4): {:.1} MB; peak RSS of the process (HWM): {:.1} MB",
        s4.rss_kb as f64 * 1024.0 / 1e6,
        s5.hwm_kb as f64 * 1024.0 / 1e6
    );
}

/// Heap bytes kept by a value built by `f`, measured by the allocator: what is live after
/// minus before, with the container allocated up front so only the contents count.
fn measured<T>(f: impl FnOnce() -> T) -> (T, isize, isize) {
    let before = snap();
    let value = f();
    let after = snap();
    (value, after.live - before.live, after.count - before.count)
}

#[allow(clippy::ptr_arg)]
fn sum_str_vec(v: &Vec<String>) -> usize {
    v.capacity() * size_of::<String>() + v.iter().map(String::capacity).sum::<usize>()
}

/// Mirrors `ScreenIndex::build` part by part with the crate's public API and reports what each
/// part holds on the heap. The real index stays alive, and gives the token weights.
fn breakdown_report(index: &ScreenIndex, with_index: Snap) {
    println!("\n--breakdown: mirror of ScreenIndex::build, part by part (re-parses the lists)");
    let entities = bundled_entities();
    let start = snap();

    // Parties and their names, as add_party makes them.
    let mut by_id = HashMap::new();
    let mut parties: Vec<Party> = Vec::new();
    let mut names: Vec<IndexedName> = Vec::new();
    let mut raw_bytes = 0usize;
    let mut form_bytes = 0usize;
    for entity in &entities {
        let Some(kind) = PartyKind::of_schema(entity.schema.name) else {
            continue;
        };
        let party = parties.len() as u32;
        by_id.insert(entity.id.as_str(), party);
        let name_kind = match kind {
            PartyKind::Person => NameKind::Person,
            PartyKind::Organization => NameKind::Organization,
            _ => NameKind::Other,
        };
        let mut own = Vec::new();
        for (prop, source) in [
            ("name", NameSource::Name),
            ("alias", NameSource::Alias),
            ("previousName", NameSource::PreviousName),
            ("weakAlias", NameSource::WeakAlias),
        ] {
            for raw in entity.values(prop) {
                for form in name_forms(raw, name_kind) {
                    own.push(names.len() as u32);
                    raw_bytes += raw.len();
                    form_bytes += form.tokens.capacity()
                        * size_of::<interdict_screen::normalize::Token>()
                        + form.tokens.iter().map(|t| t.text.capacity()).sum::<usize>();
                    names.push(IndexedName {
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
        let countries = COUNTRY_PROPS
            .iter()
            .flat_map(|p| entity.values(p))
            .map(str::to_string)
            .collect();
        parties.push(Party {
            id: entity.id.clone(),
            caption: entity.caption().to_string(),
            schema: entity.schema.name,
            kind,
            birth_dates: entity.values("birthDate").map(str::to_string).collect(),
            countries,
            genders: entity.values("gender").map(str::to_string).collect(),
            names: own,
        });
    }
    // Identifiers, in a pass of their own (add_party and add_documents add them in this order).
    let (identifiers, ident_bytes, ident_blocks) = measured(|| {
        let add = |ids: &mut HashMap<String, Vec<u32>>, value: &str, party: u32| {
            if let Some(key) = interdict_screen::index::identifier_key(value) {
                let parties = ids.entry(key).or_default();
                if !parties.contains(&party) {
                    parties.push(party);
                }
            }
        };
        let mut ids: HashMap<String, Vec<u32>> = HashMap::new();
        for entity in &entities {
            if let Some(&party) = by_id.get(entity.id.as_str()) {
                for prop in ID_PROPS {
                    for value in entity.values(prop) {
                        add(&mut ids, value, party);
                    }
                }
            }
        }
        for entity in &entities {
            let key = match entity.schema.name {
                "Identification" | "Passport" => "number",
                "CryptoWallet" => "publicKey",
                _ => continue,
            };
            for holder in entity.values("holder") {
                let Some(&party) = by_id.get(holder) else {
                    continue;
                };
                for value in entity.values(key) {
                    add(&mut ids, value, party);
                }
            }
        }
        ids
    });
    drop(by_id);
    let party_strings: usize = parties
        .iter()
        .map(|p| {
            p.id.capacity()
                + p.caption.capacity()
                + sum_str_vec(&p.birth_dates)
                + sum_str_vec(&p.countries)
                + sum_str_vec(&p.genders)
                + p.names.capacity() * 4
        })
        .sum();
    // count_tokens
    let (token_parties, tp_bytes, tp_blocks) = measured(|| {
        let mut token_parties: HashMap<String, u32> = HashMap::new();
        for party in &parties {
            let mut seen: Vec<&str> = party
                .names
                .iter()
                .flat_map(|&n| names[n as usize].form.tokens.iter())
                .map(|t| t.text.as_str())
                .collect();
            seen.sort_unstable();
            seen.dedup();
            for token in seen {
                *token_parties.entry(token.to_string()).or_default() += 1;
            }
        }
        token_parties
    });

    // weigh_names, field by field
    let (_, w_bytes, w_blocks) = measured(|| {
        for name in names.iter_mut() {
            name.weights = name.form.tokens.iter().map(|t| index.weight(t)).collect();
        }
    });
    let (_, m_bytes, m_blocks) = measured(|| {
        for name in names.iter_mut() {
            name.metaphones = name
                .form
                .tokens
                .iter()
                .map(|t| metaphone(&t.text))
                .collect();
        }
    });
    let (_, c_bytes, c_blocks) = measured(|| {
        for name in names.iter_mut() {
            name.comparable =
                Comparable::new(&name.form, &name.weights, &name.metaphones, Side::Listed);
        }
    });
    let push = |p: &mut HashMap<String, Vec<u32>>, key: String, id: usize| {
        let list = p.entry(key).or_default();
        if list.last() != Some(&(id as u32)) {
            list.push(id as u32);
        }
    };
    let (token_postings, tok_bytes, tok_blocks) = measured(|| {
        let mut postings: HashMap<String, Vec<u32>> = HashMap::new();
        for (id, name) in names.iter().enumerate() {
            for token in &name.form.tokens {
                push(&mut postings, token.text.clone(), id);
            }
        }
        postings
    });
    let (metaphone_postings, met_bytes, met_blocks) = measured(|| {
        let mut postings: HashMap<String, Vec<u32>> = HashMap::new();
        for (id, name) in names.iter().enumerate() {
            for key in &name.metaphones {
                if !key.is_empty() {
                    push(&mut postings, key.clone(), id);
                }
            }
        }
        postings
    });
    let (gram_postings, gram_bytes, gram_blocks) = measured(|| {
        let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
        for (id, name) in names.iter().enumerate() {
            let mut grams = Vec::new();
            for token in &name.form.tokens {
                grams.extend(token_grams(&token.text));
            }
            grams.sort_unstable();
            grams.dedup();
            for gram in grams {
                postings.entry(gram).or_default().push(id as u32);
            }
        }
        postings
    });
    let after = snap();

    let n_tokens: usize = names.iter().map(|n| n.form.tokens.len()).sum();
    let n_keys = names
        .iter()
        .flat_map(|n| &n.metaphones)
        .filter(|k| !k.is_empty())
        .count();
    let gram_entries: usize = gram_postings.values().map(Vec::len).sum();
    let tok_entries: usize = token_postings.values().map(Vec::len).sum();
    let met_entries: usize = metaphone_postings.values().map(Vec::len).sum();
    let name_struct = names.capacity() * size_of::<IndexedName>();
    let party_struct = parties.capacity() * size_of::<Party>();

    println!(
        "counts: parties {} ({} B each), names {} ({} B each, Vec capacity {}), tokens {}, non-empty metaphone keys {}",
        parties.len(),
        size_of::<Party>(),
        names.len(),
        size_of::<IndexedName>(),
        names.capacity(),
        n_tokens,
        n_keys
    );
    println!(
        "distinct: tokens {}, metaphone keys {}, 3-grams {} (posting entries: tokens {}, keys {}, grams {}), identifiers {}",
        token_parties.len(),
        metaphone_postings.len(),
        gram_postings.len(),
        tok_entries,
        met_entries,
        gram_entries,
        identifiers.len()
    );
    println!("{:<52} {:>9} {:>9}", "part", "heap MB", "blocks");
    let parts: [(&str, isize, isize); 13] = [
        (
            "names: IndexedName array (Vec<IndexedName>)",
            name_struct as isize,
            1,
        ),
        ("names: raw String", raw_bytes as isize, -1),
        (
            "names: form tokens (Vec<Token> + token Strings)",
            form_bytes as isize,
            -1,
        ),
        ("names: weights Vec<f32>", w_bytes, w_blocks),
        ("names: metaphones Vec<String>", m_bytes, m_blocks),
        (
            "names: comparable (Vec<Unit> + Box<str>s + missing)",
            c_bytes,
            c_blocks,
        ),
        (
            "parties: Party array (Vec<Party>)",
            party_struct as isize,
            1,
        ),
        (
            "parties: id/caption/dates/countries/genders/names",
            party_strings as isize,
            -1,
        ),
        ("token_parties HashMap<String,u32>", tp_bytes, tp_blocks),
        (
            "token_postings HashMap<String,Vec<u32>>",
            tok_bytes,
            tok_blocks,
        ),
        (
            "metaphone_postings HashMap<String,Vec<u32>>",
            met_bytes,
            met_blocks,
        ),
        (
            "gram_postings HashMap<u64,Vec<u32>>",
            gram_bytes,
            gram_blocks,
        ),
        (
            "identifiers HashMap<String,Vec<u32>>",
            ident_bytes,
            ident_blocks,
        ),
    ];
    let mut total = 0;
    for (label, bytes, blocks) in parts {
        total += bytes;
        let blocks = if blocks < 0 {
            "-".to_string()
        } else {
            blocks.to_string()
        };
        println!("{label:<52} {:>9.1} {blocks:>9}", mb(bytes));
    }
    println!("{:<52} {:>9.1}", "sum of parts (mirror)", mb(total));
    println!(
        "{:<52} {:>9.1}",
        "mirror measured by the allocator (whole)",
        mb(after.live - start.live)
    );
    let _ = with_index;
    drop((
        names,
        parties,
        token_parties,
        token_postings,
        metaphone_postings,
        gram_postings,
    ));
    drop(identifiers);
    drop(entities);
    unsafe { malloc_trim(0) };
    println!();
}

/// Character 3-grams of a token padded with a boundary mark, as `index.rs` packs them.
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
