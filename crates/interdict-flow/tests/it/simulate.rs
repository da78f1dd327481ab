//! The synthetic AMLworld generator, checked from the files it writes: their format, their
//! determinism, that the patterns file holds exactly the laundering rows, that every planted
//! attempt keeps to its typology's spec, and that the stats say what the files hold.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use interdict_flow::Segment;
use interdict_flow::simulate::{Config, ConfigError, FanSpec, Stats, generate};
use time::macros::format_description;
use time::{PrimitiveDateTime, Weekday};

const HEADER: &str = "Timestamp,From Bank,Account,To Bank,Account,Amount Received,\
Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering";

const CURRENCIES: [&str; 15] = [
    "US Dollar",
    "Euro",
    "UK Pound",
    "Yuan",
    "Yen",
    "Rupee",
    "Ruble",
    "Canadian Dollar",
    "Australian Dollar",
    "Swiss Franc",
    "Mexican Peso",
    "Brazil Real",
    "Shekel",
    "Saudi Riyal",
    "Bitcoin",
];

const FORMATS: [&str; 7] = [
    "Reinvestment",
    "Cheque",
    "Credit Card",
    "ACH",
    "Cash",
    "Wire",
    "Bitcoin",
];

const TYPOLOGIES: [&str; 10] = [
    "FAN-OUT",
    "FAN-IN",
    "GATHER-SCATTER",
    "SCATTER-GATHER",
    "CYCLE",
    "BIPARTITE",
    "STACK",
    "STRUCTURING",
    "FUNNEL",
    "PASS-THROUGH",
];

const HOUR: i64 = 60;

/// Bank and account: account ids are unique only within a bank.
type Party = (String, String);

/// One parsed row, with its minute since 1970 and its text.
#[derive(Debug, Clone)]
struct Tx {
    minute: i64,
    timestamp: String,
    from: Party,
    to: Party,
    received: u64,
    received_in: String,
    paid: u64,
    paid_in: String,
    format: String,
    laundering: bool,
    line: String,
}

/// One laundering attempt of the patterns file.
#[derive(Debug)]
struct Block {
    name: String,
    detail: String,
    rows: Vec<Tx>,
}

struct Output {
    transactions: String,
    patterns: String,
    stats: Stats,
}

struct Sample {
    config: Config,
    output: Output,
    rows: Vec<Tx>,
    blocks: Vec<Block>,
}

fn run(config: &Config) -> Output {
    let (mut transactions, mut patterns) = (Vec::new(), Vec::new());
    let stats = generate(config, &mut transactions, &mut patterns).expect("generation succeeds");
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).expect("output is UTF-8");
    Output {
        transactions: text(transactions),
        patterns: text(patterns),
        stats,
    }
}

/// 200,000 rows among 5,000 accounts, one in a hundred laundering so that every typology is
/// planted a dozen times or more; generated once for all the tests that read it.
fn sample() -> &'static Sample {
    static SAMPLE: OnceLock<Sample> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let config = Config {
            accounts: 5_000,
            transactions: 200_000,
            seed: 20_220_901,
            laundering_one_in: 100,
            ..Config::default()
        };
        let output = run(&config);
        let rows = parse_transactions(&output.transactions).unwrap_or_else(|e| panic!("{e}"));
        let blocks = parse_patterns(&output.patterns).unwrap_or_else(|e| panic!("{e}"));
        Sample {
            config,
            output,
            rows,
            blocks,
        }
    })
}

fn parse_transactions(text: &str) -> Result<Vec<Tx>, String> {
    let mut lines = text.lines();
    let header = lines.next().ok_or("empty transactions file")?;
    if header != HEADER {
        return Err(format!("header is {header:?}"));
    }
    lines
        .enumerate()
        .map(|(i, line)| parse_row(line).map_err(|e| format!("line {}: {e}: {line}", i + 2)))
        .collect()
}

fn parse_row(line: &str) -> Result<Tx, String> {
    let f: Vec<&str> = line.split(',').collect();
    if f.len() != 11 {
        return Err(format!("{} fields", f.len()));
    }
    let stamp = parse_timestamp(f[0])?;
    let party = |bank: &str, account: &str| -> Result<Party, String> {
        let bank_ok = !bank.is_empty() && bank.bytes().all(|b| b.is_ascii_digit());
        let account_ok = account.len() == 9
            && account
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b));
        if bank_ok && account_ok {
            Ok((bank.to_owned(), account.to_owned()))
        } else {
            Err(format!("party {bank}:{account}"))
        }
    };
    let known = |name: &str, names: &[&str]| {
        if names.contains(&name) {
            Ok(name.to_owned())
        } else {
            Err(format!("unknown name {name:?}"))
        }
    };
    Ok(Tx {
        minute: stamp.assume_utc().unix_timestamp() / 60,
        timestamp: f[0].to_owned(),
        from: party(f[1], f[2])?,
        to: party(f[3], f[4])?,
        received: parse_cents(f[5])?,
        received_in: known(f[6], &CURRENCIES)?,
        paid: parse_cents(f[7])?,
        paid_in: known(f[8], &CURRENCIES)?,
        format: known(f[9], &FORMATS)?,
        laundering: match f[10] {
            "0" => false,
            "1" => true,
            other => return Err(format!("label {other:?}")),
        },
        line: line.to_owned(),
    })
}

/// `2022/09/01 08:30`.
fn parse_timestamp(text: &str) -> Result<PrimitiveDateTime, String> {
    let format = format_description!("[year]/[month]/[day] [hour]:[minute]");
    PrimitiveDateTime::parse(text, format).map_err(|e| format!("timestamp {text:?}: {e}"))
}

/// `1234.56` in cents: digits, a point and exactly two decimals.
fn parse_cents(text: &str) -> Result<u64, String> {
    let bad = || format!("amount {text:?}");
    let (whole, cents) = text.split_once('.').ok_or_else(bad)?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || cents.len() != 2 || !digits(cents) {
        return Err(bad());
    }
    let value = |s: &str| s.parse::<u64>().map_err(|_| bad());
    Ok(value(whole)? * 100 + value(cents)?)
}

fn parse_patterns(text: &str) -> Result<Vec<Block>, String> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in text.lines().enumerate() {
        let at = |e: String| format!("patterns line {}: {e}", i + 1);
        if let Some(rest) = line.strip_prefix("BEGIN LAUNDERING ATTEMPT - ") {
            if open.is_some() {
                return Err(at("BEGIN inside a block".into()));
            }
            let (name, detail) = rest.split_once(":  ").unwrap_or((rest, ""));
            open = Some(Block {
                name: name.to_owned(),
                detail: detail.to_owned(),
                rows: Vec::new(),
            });
        } else if let Some(name) = line.strip_prefix("END LAUNDERING ATTEMPT - ") {
            let block = open
                .take()
                .ok_or_else(|| at("END outside a block".into()))?;
            if block.name != name {
                return Err(at(format!("END {name} closes {}", block.name)));
            }
            blocks.push(block);
        } else if let Some(block) = open.as_mut() {
            block.rows.push(parse_row(line).map_err(at)?);
        } else if !line.is_empty() {
            return Err(at(format!("row outside a block: {line}")));
        }
    }
    match open {
        Some(block) => Err(format!("block {} is not closed", block.name)),
        None => Ok(blocks),
    }
}

macro_rules! ensure {
    ($cond:expr, $($message:tt)+) => {
        if !$cond {
            return Err(format!($($message)+));
        }
    };
}

/// Runs `check` on every block of `name`, which must occur at least ten times in the sample.
fn check_blocks(name: &str, check: fn(&Block) -> Result<(), String>) {
    let blocks: Vec<&Block> = sample().blocks.iter().filter(|b| b.name == name).collect();
    assert!(blocks.len() >= 10, "only {} {name} patterns", blocks.len());
    let failures: Vec<String> = blocks
        .iter()
        .filter_map(|b| {
            check(b)
                .err()
                .map(|e| format!("{name} ({}): {e}\n{}", b.detail, lines(&b.rows)))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn lines(rows: &[Tx]) -> String {
    rows.iter()
        .map(|r| r.line.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn span(rows: &[&Tx]) -> i64 {
    let (lo, hi) = rows.iter().fold((i64::MAX, i64::MIN), |(lo, hi), r| {
        (lo.min(r.minute), hi.max(r.minute))
    });
    hi - lo
}

/// The rows fall within `hours` of one another.
fn within_hours(rows: &[&Tx], hours: i64) -> Result<(), String> {
    let minutes = span(rows);
    ensure!(minutes <= hours * HOUR, "spans {minutes} minutes");
    Ok(())
}

fn all(block: &Block) -> Vec<&Tx> {
    block.rows.iter().collect()
}

/// The accounts that pay and the accounts that are paid.
fn sides(block: &Block) -> (BTreeSet<&Party>, BTreeSet<&Party>) {
    let senders = distinct(block.rows.iter().map(|r| &r.from));
    (senders, distinct(block.rows.iter().map(|r| &r.to)))
}

fn distinct<'a>(parties: impl Iterator<Item = &'a Party>) -> BTreeSet<&'a Party> {
    parties.collect()
}

/// The one value every row shares, if there is one.
fn shared<'a, T: PartialEq + ?Sized + 'a>(
    mut values: impl Iterator<Item = &'a T>,
) -> Option<&'a T> {
    let first = values.next()?;
    values.all(|v| v == first).then_some(first)
}

fn sum(rows: &[&Tx]) -> u64 {
    rows.iter().map(|r| r.paid).sum()
}

/// `part / whole` within `lo..=hi`, allowing the cent lost to rounding down.
fn ratio_within(part: u64, whole: u64, lo: f64, hi: f64) -> bool {
    let (part, whole) = (part as f64, whole as f64);
    part <= whole * hi + 1e-9 && part + 1.0 >= whole * lo
}

#[test]
fn the_same_seed_writes_the_same_bytes_and_another_seed_others() {
    let config = Config {
        accounts: 1_000,
        transactions: 20_000,
        seed: 3,
        laundering_one_in: 200,
        ..Config::default()
    };
    let (first, again) = (run(&config), run(&config));
    assert!(
        first.transactions == again.transactions,
        "transactions differ between runs"
    );
    assert!(
        first.patterns == again.patterns,
        "patterns differ between runs"
    );
    assert_eq!(first.stats, again.stats);
    let other = run(&Config { seed: 4, ..config });
    assert!(
        first.transactions != other.transactions,
        "another seed wrote the same transactions"
    );
    assert!(
        first.patterns != other.patterns,
        "another seed wrote the same patterns"
    );
}

#[test]
fn every_row_is_well_formed_and_in_time_order() {
    let sample = sample();
    assert_eq!(sample.output.transactions.lines().next(), Some(HEADER));
    assert_eq!(sample.rows.len() as u64, sample.config.transactions);
    for pair in sample.rows.windows(2) {
        assert!(
            pair[0].minute <= pair[1].minute,
            "out of order:\n{}\n{}",
            pair[0].line,
            pair[1].line
        );
    }
    assert!(
        sample.rows[0].timestamp.starts_with("2022/09/01 "),
        "{}",
        sample.rows[0].line
    );
    let days =
        (sample.rows[sample.rows.len() - 1].minute - sample.rows[0].minute) / (24 * HOUR) + 1;
    assert!(days >= 10, "{days} days");
    let cross = sample
        .rows
        .iter()
        .filter(|r| r.paid_in != r.received_in)
        .count();
    assert!(
        cross > 0 && cross * 20 < sample.rows.len(),
        "{cross} cross-currency rows"
    );
    let banks: BTreeSet<&str> = sample.rows.iter().map(|r| r.from.0.as_str()).collect();
    assert!(
        banks.iter().any(|b| b.len() == 3),
        "no bank id like 010: {banks:?}"
    );
    assert!(
        banks.iter().any(|b| b.len() > 3 && b.starts_with('0')),
        "no id like 021174: {banks:?}"
    );
    let dollars = sample
        .rows
        .iter()
        .filter(|r| r.paid_in == "US Dollar")
        .count();
    assert!(
        dollars * 2 > sample.rows.len(),
        "only {dollars} US Dollar rows"
    );
}

#[test]
fn only_cash_and_reinvestment_stay_in_one_account() {
    let rows = &sample().rows;
    let odd: Vec<&str> = rows
        .iter()
        .filter(|r| (r.from == r.to) != (r.format == "Reinvestment") && r.format != "Cash")
        .map(|r| r.line.as_str())
        .take(5)
        .collect();
    assert!(odd.is_empty(), "{}", odd.join("\n"));
    let own_cash = rows
        .iter()
        .filter(|r| r.format == "Cash" && r.from == r.to)
        .count();
    assert!(
        own_cash * 2 > rows.iter().filter(|r| r.format == "Cash").count(),
        "most cash goes into one's own account"
    );
}

#[test]
fn the_patterns_file_holds_exactly_the_laundering_rows() {
    let sample = sample();
    let mut labelled: Vec<&str> = sample
        .rows
        .iter()
        .filter(|r| r.laundering)
        .map(|r| r.line.as_str())
        .collect();
    let mut planted: Vec<&str> = sample
        .blocks
        .iter()
        .flat_map(|b| &b.rows)
        .map(|r| r.line.as_str())
        .collect();
    labelled.sort_unstable();
    planted.sort_unstable();
    assert!(!planted.is_empty());
    assert!(
        labelled == planted,
        "{} labelled rows, {} planted",
        labelled.len(),
        planted.len()
    );
    for block in &sample.blocks {
        assert!(
            TYPOLOGIES.contains(&block.name.as_str()),
            "unknown typology {}",
            block.name
        );
        assert!(!block.rows.is_empty(), "empty {} block", block.name);
        let same_currency = block
            .rows
            .iter()
            .all(|r| r.paid == r.received && r.paid_in == r.received_in);
        assert!(
            same_currency,
            "{} converts currency:\n{}",
            block.name,
            lines(&block.rows)
        );
    }
    let counts: BTreeMap<&str, usize> = TYPOLOGIES
        .iter()
        .map(|&t| (t, sample.blocks.iter().filter(|b| b.name == t).count()))
        .collect();
    let (fewest, most) = (counts.values().min(), counts.values().max());
    assert!(
        fewest
            .zip(most)
            .is_some_and(|(f, m)| *f >= 10 && m - f <= 1),
        "uneven mix {counts:?}"
    );
}

/// One hub (the `hub` side of every row) and 5 to 16 distinct counterparties (the `other`
/// side, one a row, never the hub), all within 3 days; `names` name the two sides.
fn check_fan(
    b: &Block,
    hub: fn(&Tx) -> &Party,
    other: fn(&Tx) -> &Party,
    names: (&str, &str),
) -> Result<(), String> {
    let (hub_name, other_name) = names;
    let centre = shared(b.rows.iter().map(hub)).ok_or(format!("more than one {hub_name}"))?;
    let others = distinct(b.rows.iter().map(other));
    ensure!(others.len() == b.rows.len(), "a {other_name} recurs");
    ensure!(
        (5..=16).contains(&others.len()),
        "{} {other_name}s",
        others.len()
    );
    ensure!(!others.contains(centre), "the {hub_name} pays itself");
    within_hours(&all(b), 72)
}

#[test]
fn fan_out_pays_5_to_16_distinct_accounts_within_3_days() {
    check_blocks("FAN-OUT", |b| {
        check_fan(b, |r| &r.from, |r| &r.to, ("sender", "receiver"))?;
        let (lo, hi) = (
            b.rows.iter().map(|r| r.paid).min(),
            b.rows.iter().map(|r| r.paid).max(),
        );
        ensure!(
            lo.zip(hi).is_some_and(|(lo, hi)| hi * 85 <= lo * 115 + 200),
            "amounts differ too much"
        );
        Ok(())
    });
}

#[test]
fn fan_in_takes_5_to_16_distinct_senders_within_3_days() {
    check_blocks("FAN-IN", |b| {
        check_fan(b, |r| &r.to, |r| &r.from, ("receiver", "sender"))
    });
}

#[test]
fn gather_scatter_pays_out_85_to_98_percent_after_the_last_inflow() {
    check_blocks("GATHER-SCATTER", |b| {
        let (senders, receivers) = sides(b);
        let hubs: Vec<&&Party> = senders.intersection(&receivers).collect();
        ensure!(
            hubs.len() == 1,
            "{} accounts both receive and pay",
            hubs.len()
        );
        let hub = *hubs[0];
        let (inflows, outflows): (Vec<&Tx>, Vec<&Tx>) = b.rows.iter().partition(|r| &r.to == hub);
        ensure!(
            outflows.iter().all(|r| &r.from == hub),
            "a row bypasses the hub"
        );
        let (k1, k2) = (
            distinct(inflows.iter().map(|r| &r.from)).len(),
            distinct(outflows.iter().map(|r| &r.to)).len(),
        );
        ensure!(
            k1 == inflows.len() && (5..=12).contains(&k1),
            "{k1} senders in {} inflows",
            inflows.len()
        );
        ensure!(
            k2 == outflows.len() && (5..=12).contains(&k2),
            "{k2} receivers in {} outflows",
            outflows.len()
        );
        let last_in = inflows.iter().map(|r| r.minute).max();
        ensure!(
            outflows.iter().all(|r| Some(r.minute) > last_in),
            "pays out before the last inflow"
        );
        within_hours(&all(b), 120)?;
        ensure!(
            ratio_within(sum(&outflows), sum(&inflows), 0.85, 0.98),
            "pays out {} of {}",
            sum(&outflows),
            sum(&inflows)
        );
        Ok(())
    });
}

#[test]
fn scatter_gather_forwards_90_to_99_percent_through_each_intermediate() {
    check_blocks("SCATTER-GATHER", |b| {
        let (senders, receivers) = sides(b);
        let sources: Vec<&&Party> = senders.difference(&receivers).collect();
        let sinks: Vec<&&Party> = receivers.difference(&senders).collect();
        ensure!(
            sources.len() == 1 && sinks.len() == 1,
            "{} sources, {} sinks",
            sources.len(),
            sinks.len()
        );
        let middle: Vec<&&Party> = senders.intersection(&receivers).collect();
        ensure!(
            (5..=12).contains(&middle.len()),
            "{} intermediates",
            middle.len()
        );
        for mid in middle {
            let got: Vec<&Tx> = b.rows.iter().filter(|r| &&r.to == mid).collect();
            let gave: Vec<&Tx> = b.rows.iter().filter(|r| &&r.from == mid).collect();
            ensure!(
                got.len() == 1 && gave.len() == 1,
                "{mid:?} has {} in, {} out",
                got.len(),
                gave.len()
            );
            ensure!(
                &&got[0].from == sources[0] && &&gave[0].to == sinks[0],
                "{mid:?} is off the path"
            );
            ensure!(
                gave[0].minute > got[0].minute,
                "{mid:?} forwards before it receives"
            );
            ensure!(
                ratio_within(gave[0].paid, got[0].paid, 0.90, 0.99),
                "{mid:?} forwards {} of {}",
                gave[0].paid,
                got[0].paid
            );
        }
        within_hours(&all(b), 120)?;
        Ok(())
    });
}

#[test]
fn cycle_returns_to_its_start_through_3_to_8_accounts_keeping_1_to_5_percent_a_hop() {
    check_blocks("CYCLE", |b| {
        let rows = all(b);
        ensure!((3..=8).contains(&rows.len()), "{} hops", rows.len());
        ensure!(
            distinct(rows.iter().map(|r| &r.from)).len() == rows.len(),
            "an account pays twice"
        );
        for (hop, next) in rows.iter().zip(rows.iter().cycle().skip(1)) {
            ensure!(hop.to == next.from, "the ring breaks after {}", hop.line);
        }
        for pair in rows.windows(2) {
            ensure!(
                pair[1].minute > pair[0].minute,
                "a hop does not follow the previous one"
            );
            ensure!(
                ratio_within(pair[1].paid, pair[0].paid, 0.95, 0.99),
                "fee {} -> {}",
                pair[0].paid,
                pair[1].paid
            );
        }
        within_hours(&rows, 120)?;
        Ok(())
    });
}

#[test]
fn bipartite_senders_each_pay_2_to_all_of_3_to_6_receivers_within_3_days() {
    check_blocks("BIPARTITE", |b| {
        let (senders, receivers) = sides(b);
        ensure!(
            senders.is_disjoint(&receivers),
            "an account both pays and is paid"
        );
        ensure!(
            (3..=6).contains(&senders.len()) && (3..=6).contains(&receivers.len()),
            "{} x {}",
            senders.len(),
            receivers.len()
        );
        let pairs: BTreeSet<(&Party, &Party)> = b.rows.iter().map(|r| (&r.from, &r.to)).collect();
        ensure!(pairs.len() == b.rows.len(), "a pair pays twice");
        for sender in &senders {
            let paid = pairs.iter().filter(|(s, _)| s == sender).count();
            ensure!(
                (2..=receivers.len()).contains(&paid),
                "{sender:?} pays {paid}"
            );
        }
        within_hours(&all(b), 72)?;
        Ok(())
    });
}

#[test]
fn stack_layers_pay_in_sequence_forwarding_90_to_99_percent() {
    check_blocks("STACK", |b| {
        let receivers = distinct(b.rows.iter().map(|r| &r.to));
        let mut current: BTreeSet<&Party> = b
            .rows
            .iter()
            .map(|r| &r.from)
            .filter(|p| !receivers.contains(p))
            .collect();
        let mut seen = current.clone();
        let mut layers: Vec<Vec<&Tx>> = Vec::new();
        loop {
            ensure!(
                (3..=6).contains(&current.len()),
                "a set of {} accounts",
                current.len()
            );
            let pays: Vec<&Tx> = b
                .rows
                .iter()
                .filter(|r| current.contains(&r.from))
                .collect();
            if pays.is_empty() {
                break;
            }
            for sender in &current {
                let paid =
                    distinct(pays.iter().filter(|r| &r.from == *sender).map(|r| &r.to)).len();
                ensure!(paid >= 2, "{sender:?} pays {paid} accounts of the next set");
            }
            let next = distinct(pays.iter().map(|r| &r.to));
            ensure!(
                next.is_disjoint(&seen),
                "a payment goes back to an earlier set"
            );
            seen.extend(&next);
            layers.push(pays);
            current = next;
        }
        ensure!((2..=3).contains(&layers.len()), "{} layers", layers.len());
        ensure!(
            layers.iter().map(Vec::len).sum::<usize>() == b.rows.len(),
            "rows outside the layers"
        );
        for pair in layers.windows(2) {
            let paid_in = pair[0].iter().map(|r| r.minute).max();
            ensure!(
                pair[1].iter().all(|r| Some(r.minute) > paid_in),
                "a layer pays before the previous finished"
            );
            for account in distinct(pair[1].iter().map(|r| &r.from)) {
                let got: u64 = pair[0]
                    .iter()
                    .filter(|r| &r.to == account)
                    .map(|r| r.paid)
                    .sum();
                let gave: u64 = pair[1]
                    .iter()
                    .filter(|r| &r.from == account)
                    .map(|r| r.paid)
                    .sum();
                ensure!(
                    ratio_within(gave, got, 0.90, 0.99),
                    "{account:?} forwards {gave} of {got}"
                );
            }
        }
        within_hours(&all(b), 120)?;
        Ok(())
    });
}

#[test]
fn structuring_keeps_cash_deposits_under_the_threshold_through_two_banks() {
    check_blocks("STRUCTURING", |b| {
        let rows = all(b);
        ensure!(
            rows.iter()
                .all(|r| r.format == "Cash" && r.paid_in == "US Dollar"),
            "not all US Dollar cash"
        );
        ensure!(
            shared(rows.iter().map(|r| &r.to)).is_some(),
            "more than one account credited"
        );
        let banks: BTreeSet<&str> = rows.iter().map(|r| r.from.0.as_str()).collect();
        ensure!(
            banks.len() >= 2,
            "cash came in through {} banks",
            banks.len()
        );
        if b.detail.starts_with("Same-day") {
            ensure!((3..=6).contains(&rows.len()), "{} deposits", rows.len());
            ensure!(
                shared(rows.iter().map(|r| &r.timestamp[..10])).is_some(),
                "deposits on more than one day"
            );
            let weekday = parse_timestamp(&rows[0].timestamp)?.weekday();
            ensure!(
                !matches!(weekday, Weekday::Saturday | Weekday::Sunday),
                "deposits on a {weekday}"
            );
            ensure!(
                rows.iter().all(|r| (300_000..=999_999).contains(&r.paid)),
                "a deposit outside 3,000-9,999.99"
            );
            ensure!(
                sum(&rows) > 1_000_000,
                "deposits sum to {} cents",
                sum(&rows)
            );
        } else {
            ensure!(
                b.detail.starts_with("Cash deposits below"),
                "unknown variant {:?}",
                b.detail
            );
            ensure!((3..=5).contains(&rows.len()), "{} deposits", rows.len());
            ensure!(
                rows.iter().all(|r| (900_000..=999_999).contains(&r.paid)),
                "a deposit outside 9,000-9,999.99"
            );
            within_hours(&rows, 120)?;
        }
        Ok(())
    });
    let variants: BTreeSet<&str> = sample()
        .blocks
        .iter()
        .filter(|b| b.name == "STRUCTURING")
        .map(|b| &b.detail[..8])
        .collect();
    assert_eq!(variants.len(), 2, "only {variants:?}");
}

#[test]
fn funnel_collects_out_of_area_cash_and_wires_80_percent_on_within_48_hours() {
    check_blocks("FUNNEL", |b| {
        let deposits: Vec<&Tx> = b.rows.iter().filter(|r| r.format == "Cash").collect();
        let funnel =
            shared(deposits.iter().map(|r| &r.to)).ok_or("cash into more than one account")?;
        let wires: Vec<&Tx> = b.rows.iter().filter(|r| r.format == "Wire").collect();
        ensure!(
            deposits.len() + wires.len() == b.rows.len(),
            "a row is neither cash nor wire"
        );
        ensure!(
            (6..=15).contains(&deposits.len()),
            "{} deposits",
            deposits.len()
        );
        ensure!(
            distinct(deposits.iter().map(|r| &r.from)).len() == deposits.len(),
            "a depositor deposits twice"
        );
        ensure!(
            deposits.iter().all(|r| r.from.0 != funnel.0),
            "cash came in at the funnel's own bank"
        );
        ensure!(
            deposits
                .iter()
                .all(|r| (50_000..=900_000).contains(&r.paid)),
            "a deposit outside 500-9,000"
        );
        ensure!(
            span(&deposits) <= 168 * HOUR,
            "deposits span {} minutes",
            span(&deposits)
        );
        ensure!((1..=2).contains(&wires.len()), "{} wires", wires.len());
        ensure!(
            wires.iter().all(|r| &r.from == funnel && r.to != *funnel),
            "a wire not out of the funnel"
        );
        let last = deposits.iter().map(|r| r.minute).max().unwrap_or(i64::MAX);
        ensure!(
            wires
                .iter()
                .all(|r| r.minute > last && r.minute <= last + 48 * HOUR),
            "a wire outside 48 hours"
        );
        ensure!(
            sum(&wires) * 10 >= sum(&deposits) * 8,
            "wires {} of {}",
            sum(&wires),
            sum(&deposits)
        );
        Ok(())
    });
}

#[test]
fn pass_through_sends_on_90_to_99_percent_within_24_hours_2_to_4_times() {
    check_blocks("PASS-THROUGH", |b| {
        let rows = all(b);
        let account = rows.first().map(|r| {
            if rows.iter().all(|x| x.from == r.to || x.to == r.to) {
                &r.to
            } else {
                &r.from
            }
        });
        let account = account.ok_or("no rows")?;
        ensure!(
            rows.iter().all(|r| &r.from == account || &r.to == account),
            "a row bypasses the account"
        );
        ensure!(
            rows.len().is_multiple_of(2) && (2..=4).contains(&(rows.len() / 2)),
            "{} rows",
            rows.len()
        );
        for pair in rows.chunks(2) {
            let (inflow, outflow) = (pair[0], pair[1]);
            ensure!(
                &inflow.to == account && &outflow.from == account,
                "rounds do not alternate in and out"
            );
            ensure!(
                outflow.minute > inflow.minute && outflow.minute <= inflow.minute + 24 * HOUR,
                "held too long"
            );
            ensure!(
                ratio_within(outflow.paid, inflow.paid, 0.90, 0.99),
                "sends on {} of {}",
                outflow.paid,
                inflow.paid
            );
        }
        within_hours(&rows, 168)?;
        Ok(())
    });
}

#[test]
fn pattern_accounts_also_have_ordinary_activity() {
    let sample = sample();
    let ordinary: BTreeSet<&Party> = sample
        .rows
        .iter()
        .filter(|r| !r.laundering)
        .flat_map(|r| [&r.from, &r.to])
        .collect();
    let planted: BTreeSet<&Party> = sample
        .rows
        .iter()
        .filter(|r| r.laundering)
        .flat_map(|r| [&r.from, &r.to])
        .collect();
    let both = planted.iter().filter(|p| ordinary.contains(*p)).count();
    assert!(
        both * 10 >= planted.len() * 9,
        "{both} of {} pattern accounts have ordinary rows",
        planted.len()
    );
}

#[test]
fn the_background_holds_honest_lookalikes() {
    let ordinary: Vec<&Tx> = sample().rows.iter().filter(|r| !r.laundering).collect();
    let near_threshold = ordinary
        .iter()
        .filter(|r| r.format == "Cash" && (900_000..1_000_000).contains(&r.paid))
        .count();
    assert!(
        near_threshold >= 5,
        "{near_threshold} honest cash deposits of 9,000-9,999.99"
    );
    let third_party_cash = ordinary
        .iter()
        .filter(|r| r.format == "Cash" && r.from.0 != r.to.0)
        .count();
    assert!(
        third_party_cash >= 20,
        "{third_party_cash} honest cash deposits through another bank"
    );
    let mut payees: BTreeMap<(&Party, &str), BTreeSet<&Party>> = BTreeMap::new();
    let mut payers: BTreeMap<(&Party, &str), BTreeSet<&Party>> = BTreeMap::new();
    for r in &ordinary {
        payees
            .entry((&r.from, &r.timestamp[..10]))
            .or_default()
            .insert(&r.to);
        payers
            .entry((&r.to, &r.timestamp[..10]))
            .or_default()
            .insert(&r.from);
    }
    let widest =
        |m: &BTreeMap<_, BTreeSet<&Party>>| m.values().map(BTreeSet::len).max().unwrap_or(0);
    assert!(
        widest(&payees) >= 50,
        "no honest account pays 50 others in a day (payroll)"
    );
    assert!(
        widest(&payers) >= 50,
        "no honest account is paid by 50 others in a day (a merchant)"
    );
}

#[test]
fn the_stats_say_what_the_files_hold() {
    let Sample {
        config,
        output,
        rows,
        blocks,
    } = sample();
    let stats = &output.stats;
    assert_eq!(stats.transactions, rows.len() as u64);
    assert_eq!(stats.transactions, config.transactions);
    let laundering = rows.iter().filter(|r| r.laundering).count() as u64;
    assert_eq!(stats.laundering_transactions, laundering);
    assert_eq!(
        stats.laundering_one_in,
        Some((rows.len() as f64 / laundering as f64).round() as u64)
    );
    assert!(
        (90..=110).contains(&stats.laundering_one_in.unwrap_or(0)),
        "1 per {:?}",
        stats.laundering_one_in
    );
    for name in TYPOLOGIES {
        let of: Vec<&Block> = blocks.iter().filter(|b| b.name == name).collect();
        let t = stats.typologies.get(name).copied().unwrap_or_default();
        assert_eq!(
            (t.patterns, t.transactions),
            (
                of.len() as u64,
                of.iter().map(|b| b.rows.len() as u64).sum()
            ),
            "{name}"
        );
    }
    for name in FORMATS {
        let n = rows.iter().filter(|r| r.format == name).count() as u64;
        assert_eq!(stats.payment_formats.get(name), Some(&n), "{name}");
    }
    assert_eq!(
        stats.cross_currency,
        rows.iter().filter(|r| r.paid_in != r.received_in).count() as u64
    );
    let parties: BTreeSet<&Party> = rows.iter().flat_map(|r| [&r.from, &r.to]).collect();
    assert_eq!(stats.active_accounts, parties.len());
    assert_eq!(stats.accounts, config.accounts);
    assert!(
        stats.banks
            >= rows
                .iter()
                .map(|r| &r.from.0)
                .collect::<BTreeSet<_>>()
                .len()
    );
    assert_eq!(stats.first_timestamp, rows[0].timestamp);
    assert_eq!(stats.last_timestamp, rows[rows.len() - 1].timestamp);
    assert_eq!(stats.days, config.days());
    assert!(stats.to_string().contains("(1 per "), "{stats}");
    let json = serde_json::to_value(stats).expect("stats serialise");
    assert_eq!(
        json["typologies"]["FUNNEL"]["patterns"],
        stats.typologies["FUNNEL"].patterns
    );
}

#[test]
fn the_default_laundering_rate_is_about_one_per_thousand() {
    let config = Config {
        accounts: 2_000,
        transactions: 300_000,
        seed: 11,
        ..Config::default()
    };
    let stats = run(&config).stats;
    assert_eq!(stats.transactions, 300_000);
    let one_in = stats.laundering_one_in.unwrap_or(0);
    assert!((900..=1_100).contains(&one_in), "1 per {one_in}");
}

#[test]
fn configs_it_cannot_honour_are_refused_with_the_field_named() {
    let (mut t, mut p) = (Vec::new(), Vec::new());
    let tiny = Config {
        accounts: 10,
        ..Config::default()
    };
    let error = generate(&tiny, &mut t, &mut p).expect_err("10 accounts are too few");
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    assert!(
        error.to_string().contains("accounts must be between 1000"),
        "{error}"
    );
    assert!(t.is_empty() && p.is_empty(), "wrote before refusing");

    let mut reversed = Config::default();
    reversed.typologies.fan_out = FanSpec {
        degree: interdict_flow::simulate::Bounds::new(16, 5),
        hours: 72,
    };
    match reversed.check() {
        Err(ConfigError::Spec {
            typology: "FAN-OUT",
            field: "degree",
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    let mut loose = Config::default();
    loose.typologies.funnel.wired.min = 1.5;
    assert!(
        loose
            .check()
            .is_err_and(|e| e.to_string().starts_with("FUNNEL wired:"))
    );
    let long = Config {
        accounts: 1_000,
        transactions: 10_000_000,
        ..Config::default()
    };
    assert!(matches!(
        long.check(),
        Err(ConfigError::Span { days: 10_000, .. })
    ));
}

#[test]
fn segments_name_every_account_as_a_person_or_a_business() {
    let sample = sample();
    let mut text = Vec::new();
    interdict_flow::simulate::segments(&sample.config, &mut text).expect("segments are written");
    let read = interdict_flow::read_segments(&text[..], "segments.csv").expect("they read back");
    assert_eq!(read.len(), sample.config.accounts);
    let segment: std::collections::HashMap<String, Segment> = read.into_iter().collect();
    let business = segment
        .values()
        .filter(|s| **s == Segment::Business)
        .count();
    // Every fifth account is a company's.
    assert_eq!(business, sample.config.accounts / 5);
    let of = |party: &Party| {
        *segment
            .get(&format!("{}:{}", party.0, party.1))
            .unwrap_or_else(|| panic!("{party:?} has no segment"))
    };
    // Only companies reinvest, and every account that pays or is paid has a segment.
    assert!(sample.rows.iter().any(|r| r.format == "Reinvestment"));
    for row in &sample.rows {
        let from = of(&row.from);
        of(&row.to);
        if row.format == "Reinvestment" {
            assert_eq!(from, Segment::Business, "{}", row.line);
        }
    }
}
