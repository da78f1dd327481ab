//! Micro-payment collectors: an account paid micro-payments by several payers in turn.

use interdict_flow::{Alert, Channel, Rules, Typology};

const DAY: f64 = 24.0;

/// A transaction script: (hours after Monday 00:00, from, to, units, channel).
type Row<'a> = (f64, &'a str, &'a str, f64, Channel);

/// Runs the script in time order through the monitor tests' harness (no places).
fn run_with(rules: Rules, rows: &[Row]) -> Vec<Alert> {
    let mut rows: Vec<super::monitor::Row> = rows
        .iter()
        .map(|&(hours, from, to, units, channel)| (hours, from, to, units, channel, ""))
        .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    super::monitor::run_with(rules, &rows)
}

fn run(rows: &[Row]) -> Vec<Alert> {
    run_with(Rules::default(), rows)
}

/// The collector alerts keyed on `receiver`.
fn collected<'a>(alerts: &'a [Alert], receiver: &str) -> Vec<&'a Alert> {
    alerts
        .iter()
        .filter(|a| a.typology == Typology::Collector && a.accounts[0] == receiver)
        .collect()
}

use Channel::{Ach, Card, Wire};

/// `payer`'s ordinary payments, 180 to 300 to strangers, on the days from `day`: what it
/// usually pays.
fn history(payer: &'static str, day: f64) -> Vec<Row<'static>> {
    [180.0, 220.0, 250.0, 300.0]
        .into_iter()
        .enumerate()
        .map(|(i, units)| ((day + i as f64) * DAY, payer, "shop-x", units, Wire))
        .collect()
}

/// Two payers, each with a history, each paying `c` one micro-payment, `apart` hours apart.
fn two_payers(apart: f64) -> Vec<Row<'static>> {
    let mut rows = history("p1", 0.0);
    rows.extend(history("p2", 0.0));
    rows.push((5.0 * DAY, "p1", "c", 4.1, Wire));
    rows.push((5.0 * DAY + apart, "p2", "c", 3.7, Wire));
    rows
}

#[test]
fn micro_payments_from_two_payers_make_a_collector_within_the_horizon_only() {
    // 60 days apart: the horizon's edge, taken.
    let alerts = run(&two_payers(60.0 * DAY));
    let hits = collected(&alerts, "c");
    assert_eq!(hits.len(), 1, "{alerts:#?}");
    assert_eq!(hits[0].accounts, ["c", "p1", "p2"]);
    assert_eq!(hits[0].transactions.len(), 2);
    assert!(hits[0].summary.contains("2 payers"), "{}", hits[0].summary);
    // An hour past it: two unrelated small sums.
    let alerts = run(&two_payers(60.0 * DAY + 1.0));
    assert!(collected(&alerts, "c").is_empty(), "{alerts:#?}");
    // A shorter horizon, set by rule.
    let short = Rules::from_toml("[split]\ncollector_days = 30\n", "r.toml").unwrap();
    assert!(collected(&run_with(short, &two_payers(37.0 * DAY)), "c").is_empty());
    assert_eq!(collected(&run(&two_payers(37.0 * DAY)), "c").len(), 1);
    // Turned off.
    let off = Rules::from_toml("[split]\ncollector_days = 0\n", "r.toml").unwrap();
    assert!(collected(&run_with(off, &two_payers(DAY)), "c").is_empty());
    // Three payers asked for, two seen.
    let three = Rules::from_toml("[split]\ncollector_payers = 3\n", "r.toml").unwrap();
    assert!(collected(&run_with(three, &two_payers(DAY)), "c").is_empty());
}

#[test]
fn one_payer_is_no_collector() {
    // One payer's micro-payments, a month apart: neither a split (one a day) nor a collector.
    let mut rows = history("p1", 0.0);
    rows.push((5.0 * DAY, "p1", "c", 4.1, Wire));
    rows.push((40.0 * DAY, "p1", "c", 3.9, Wire));
    let alerts = run(&rows);
    assert!(collected(&alerts, "c").is_empty(), "{alerts:#?}");
    // A second payer makes it one.
    rows.extend(history("p2", 0.0));
    rows.push((41.0 * DAY, "p2", "c", 3.7, Wire));
    assert_eq!(collected(&run(&rows), "c").len(), 1);
}

#[test]
fn a_payer_with_no_history_is_judged_once_it_has_one() {
    // p1's micro-payment is its first payment ever, and c's first receipt: no one can tell
    // it from an ordinary one then. p1 pays as usual afterwards; when p2's micro-payment
    // comes, p1's is judged on that.
    let mut rows = vec![(0.0, "p1", "c", 4.1, Wire)];
    rows.extend(history("p1", 1.0));
    rows.extend(history("p2", 1.0));
    rows.push((37.0 * DAY, "p2", "c", 3.7, Wire));
    let alerts = run(&rows);
    let hits = collected(&alerts, "c");
    assert_eq!(hits.len(), 1, "{alerts:#?}");
    assert_eq!(hits[0].accounts, ["c", "p1", "p2"]);
    // Had p1 gone on paying such sums, its first was no micro-payment.
    let mut small = vec![(0.0, "p1", "c", 4.1, Wire)];
    small.extend(
        [3.0, 5.0, 4.5, 6.0]
            .into_iter()
            .enumerate()
            .map(|(i, units)| ((1.0 + i as f64) * DAY, "p1", "shop-x", units, Wire)),
    );
    small.extend(history("p2", 1.0));
    small.push((37.0 * DAY, "p2", "c", 3.7, Wire));
    let alerts = run(&small);
    assert!(collected(&alerts, "c").is_empty(), "{alerts:#?}");
}

#[test]
fn payers_with_no_history_are_judged_by_what_the_receiver_usually_gets() {
    // c is usually paid 200 to 300; two new accounts, with no payments before, pay it 4.
    let usual: Vec<Row> = [200.0, 240.0, 260.0, 300.0]
        .into_iter()
        .enumerate()
        .map(|(i, units)| (i as f64 * DAY, ["a", "b", "d", "e"][i], "c", units, Wire))
        .collect();
    let mut rows = usual.clone();
    rows.push((5.0 * DAY, "new1", "c", 4.1, Ach));
    rows.push((42.0 * DAY, "new2", "c", 3.7, Ach));
    let alerts = run(&rows);
    assert_eq!(collected(&alerts, "c").len(), 1, "{alerts:#?}");
    // A shop whose takings are small card payments: a new customer's small transfer is no
    // micro-payment to it.
    let mut shop: Vec<Row> = (0..20)
        .map(|i| {
            let customer = ["k1", "k2", "k3", "k4", "k5"][i % 5];
            (i as f64 * 6.0, customer, "c", 5.0 + 2.0 * i as f64, Card)
        })
        .collect();
    shop.extend_from_slice(&usual);
    shop.push((5.0 * DAY, "new1", "c", 4.1, Ach));
    shop.push((42.0 * DAY, "new2", "c", 3.7, Ach));
    let alerts = run(&shop);
    assert!(collected(&alerts, "c").is_empty(), "{alerts:#?}");
}

#[test]
fn small_card_payments_to_a_shop_are_no_collector() {
    // Customers who usually pay 180 to 300 buy a coffee by card: far below their usual, but
    // a card purchase moves no money on.
    let mut rows = history("p1", 0.0);
    rows.extend(history("p2", 0.0));
    rows.push((5.0 * DAY, "p1", "c", 4.1, Card));
    rows.push((6.0 * DAY, "p2", "c", 3.7, Card));
    let alerts = run(&rows);
    assert!(collected(&alerts, "c").is_empty(), "{alerts:#?}");
    // By transfer, the same sums are.
    let mut rows = history("p1", 0.0);
    rows.extend(history("p2", 0.0));
    rows.push((5.0 * DAY, "p1", "c", 4.1, Ach));
    rows.push((6.0 * DAY, "p2", "c", 3.7, Ach));
    assert_eq!(collected(&run(&rows), "c").len(), 1);
}

#[test]
fn a_small_sum_within_the_spread_of_what_a_payer_pays_is_no_micro_payment() {
    // Payers who pay rent and coffee alike: 4 is under a tenth of their geometric mean, but
    // well within the spread of what they pay.
    let mixed = |payer: &'static str| -> Vec<Row<'static>> {
        [1_500.0, 6.0, 900.0, 12.0, 2_000.0, 8.0]
            .into_iter()
            .enumerate()
            .map(|(i, units)| (i as f64 * DAY, payer, "shop-x", units, Wire))
            .collect()
    };
    let mut rows = mixed("p1");
    rows.extend(mixed("p2"));
    rows.push((7.0 * DAY, "p1", "c", 4.1, Wire));
    rows.push((8.0 * DAY, "p2", "c", 3.7, Wire));
    let alerts = run(&rows);
    assert!(collected(&alerts, "c").is_empty(), "{alerts:#?}");
    // With the spread test off, the ratio alone calls them micro-payments.
    let ratio = Rules::from_toml("[split]\ncollector_deviations = 0\n", "r.toml").unwrap();
    assert_eq!(collected(&run_with(ratio, &rows), "c").len(), 1);
}

#[test]
fn collector_keys_are_checked() {
    for (text, expect) in [
        ("[split]\ncollector_payers = 1\n", "collector_payers"),
        ("[split]\ncollector_payers = 6\n", "collector_payers"),
        ("[split]\ncollector_days = -1\n", "collector_days"),
        ("[split]\ncollector_days = 400\n", "collector_days"),
        (
            "[split]\ncollector_deviations = -1\n",
            "collector_deviations",
        ),
    ] {
        let err = Rules::from_toml(text, "r.toml").unwrap_err().to_string();
        assert!(err.contains(expect), "{text}: {err}");
    }
    let rules = Rules::from_toml("[split]\ncollector_payers = 5\n", "r.toml").unwrap();
    assert_eq!(rules.split.collector_payers, 5);
}

#[test]
fn a_collector_that_splits_its_own_payments_raises_both_alerts_apart() {
    // `c` collects two payers' micro-payments and, the same day, pays `y` three times: the
    // collector alert names the payers, the split alert `y`; neither takes the other's
    // evidence.
    let mut rows = two_payers(DAY);
    for k in 0..3 {
        rows.push((5.0 * DAY + 2.0 + k as f64, "c", "y", 150.0, Wire));
    }
    let alerts = run(&rows);
    let hits = collected(&alerts, "c");
    assert_eq!(hits.len(), 1, "{alerts:#?}");
    assert_eq!(hits[0].accounts, ["c", "p1", "p2"]);
    assert_eq!(hits[0].transactions.len(), 2);
    let splits: Vec<&Alert> = alerts
        .iter()
        .filter(|a| a.typology == Typology::Split && a.accounts[0] == "c")
        .collect();
    assert_eq!(splits.len(), 1, "{alerts:#?}");
    assert_eq!(splits[0].accounts, ["c", "y"]);
    assert_eq!(splits[0].transactions.len(), 3);
}
