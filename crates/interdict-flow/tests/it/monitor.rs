//! Each detector on hand-built sequences that must and must not fire.

use interdict_flow::{Alert, Channel, Monitor, Names, Refused, Rules, Segment, Txn, Typology};

const H: i64 = 3_600;
/// 2022-09-05, a Monday, 00:00 UTC.
const MONDAY: i64 = 19_240 * 86_400;

/// A transaction script: (hours after Monday 00:00, from, to, units, channel, place).
pub(crate) type Row<'a> = (f64, &'a str, &'a str, f64, Channel, &'a str);

pub(crate) fn run_with(rules: Rules, rows: &[Row]) -> Vec<Alert> {
    run_set_up(rules, rows, |_, _| {})
}

/// Runs the script after `set_up` has told the names and the monitor what it needs (an
/// account's home, its segment).
fn run_set_up(rules: Rules, rows: &[Row], set_up: impl Fn(&mut Names, &mut Monitor)) -> Vec<Alert> {
    let mut monitor = Monitor::new(rules);
    let mut names = Names::default();
    set_up(&mut names, &mut monitor);
    let mut alerts = Vec::new();
    for (i, (hours, from, to, units, channel, place)) in rows.iter().enumerate() {
        let txn = Txn {
            seq: i as u64 + 1,
            at: MONDAY + (hours * H as f64) as i64,
            from: names.account(from),
            to: names.account(to),
            amount: (units * 1e6).round() as i64,
            currency: names.currency("USD"),
            channel: *channel,
            place: (!place.is_empty()).then(|| names.place(place)),
            laundering: None,
        };
        monitor.push(&txn, &names, &mut alerts).unwrap();
    }
    monitor.finish(&names, &mut alerts);
    alerts
}

fn run(rows: &[Row]) -> Vec<Alert> {
    run_with(Rules::default(), rows)
}

fn of(alerts: &[Alert], typology: Typology) -> Vec<&Alert> {
    alerts.iter().filter(|a| a.typology == typology).collect()
}

/// The one stack alert among `alerts`, which must name `account`.
fn one_stack_naming<'a>(alerts: &'a [Alert], account: &str) -> &'a Alert {
    let stacks = of(alerts, Typology::Stack);
    assert_eq!(stacks.len(), 1, "{alerts:#?}");
    assert!(
        stacks[0].accounts.iter().any(|x| x == account),
        "{:?}",
        stacks[0]
    );
    stacks[0]
}

use Channel::{Ach, Card, Cash, Wire};

#[test]
fn structuring_in_one_day_fires_at_the_threshold_edge_only() {
    // 4,000 + 3,000 + 3,000.01 = 10,000.01 > 10,000: fires.
    let over = run(&[
        (9.0, "d1", "acct", 4_000.0, Cash, "b1"),
        (11.0, "d2", "acct", 3_000.0, Cash, "b2"),
        (15.0, "d3", "acct", 3_000.01, Cash, "b1"),
    ]);
    let hits = of(&over, Typology::Structuring);
    assert_eq!(hits.len(), 1, "{over:#?}");
    assert_eq!(hits[0].accounts[0], "acct");
    assert_eq!(hits[0].transactions, ["line:1", "line:2", "line:3"]);
    assert!(hits[0].summary.contains("10,000.01"), "{}", hits[0].summary);

    // Exactly 10,000 is not more than the threshold; and the same sum over two days is not one day.
    let at_edge = run(&[
        (9.0, "d1", "acct", 4_000.0, Cash, "b1"),
        (11.0, "d2", "acct", 3_000.0, Cash, "b2"),
        (15.0, "d3", "acct", 3_000.0, Cash, "b1"),
    ]);
    assert!(
        of(&at_edge, Typology::Structuring).is_empty(),
        "{at_edge:#?}"
    );
    let two_days = run(&[
        (20.0, "d1", "acct", 6_000.0, Cash, "b1"),
        (25.0, "d2", "acct", 6_000.0, Cash, "b2"),
    ]);
    assert!(of(&two_days, Typology::Structuring).is_empty());
    // A deposit at or over the threshold is reported anyway (a CTR); it is not structuring.
    let reported = run(&[
        (9.0, "d1", "acct", 10_000.0, Cash, "b1"),
        (10.0, "d2", "acct", 500.0, Cash, "b1"),
    ]);
    assert!(of(&reported, Typology::Structuring).is_empty());
}

#[test]
fn just_below_deposits_across_places_within_days() {
    let rows: Vec<Row> = vec![
        (10.0, "a", "acct", 9_500.0, Cash, "b1"),
        (34.0, "a", "acct", 9_400.0, Cash, "b2"),
        (58.0, "a", "acct", 9_900.0, Cash, "b1"),
    ];
    assert_eq!(of(&run(&rows), Typology::Structuring).len(), 1);
    // One place only: not the rule.
    let one_place: Vec<Row> = rows
        .iter()
        .map(|r| (r.0, r.1, r.2, r.3, r.4, "b1"))
        .collect();
    assert!(of(&run(&one_place), Typology::Structuring).is_empty());
    // The third deposit after the 5-day window: not the rule.
    let late = [
        rows[0],
        rows[1],
        (10.0 + 5.0 * 24.0 + 1.0, "a", "acct", 9_900.0, Cash, "b3"),
    ];
    assert!(of(&run(&late), Typology::Structuring).is_empty());
}

#[test]
fn a_geographic_targeting_order_lowers_the_threshold_where_and_while_in_force() {
    let rules = Rules::from_toml(
        r#"
[[structuring.thresholds]]
currency = "USD"
amount = 10000
[[structuring.thresholds]]
jurisdiction = "US-CA-073"
currency = "USD"
amount = 1000
from = "2022-09-01"
until = "2022-09-30"
"#,
        "gto.toml",
    )
    .unwrap();
    let rows = |place| {
        vec![
            (9.0, "d1", "acct", 400.0, Cash, place),
            (10.0, "d2", "acct", 400.0, Cash, place),
            (11.0, "d3", "acct", 400.0, Cash, place),
        ]
    };
    assert_eq!(
        of(
            &run_with(rules.clone(), &rows("US-CA-073-SD1")),
            Typology::Structuring
        )
        .len(),
        1
    );
    assert!(of(&run_with(rules, &rows("US-TX-201")), Typology::Structuring).is_empty());
}

#[test]
fn fan_in_gathers_the_whole_pattern_into_one_alert() {
    let mut rows: Vec<Row> = Vec::new();
    let senders: Vec<String> = (0..8).map(|i| format!("s{i}")).collect();
    for (i, s) in senders.iter().enumerate() {
        rows.push((i as f64 * 6.0, s, "hub", 900.0, Wire, ""));
    }
    let alerts = run(&rows);
    let fans = of(&alerts, Typology::FanIn);
    assert_eq!(fans.len(), 1, "{alerts:#?}");
    assert_eq!(fans[0].accounts.len(), 9, "hub and all eight senders");
    assert_eq!(fans[0].transactions.len(), 8);

    // Four senders is under the bar of five; five spread over more than 72 h is outside the window.
    assert!(of(&run(&rows[..4]), Typology::FanIn).is_empty());
    let spread: Vec<Row> = (0..5)
        .map(|i| (i as f64 * 20.0, rows[i].1, "hub", 900.0, Wire, ""))
        .collect();
    assert!(of(&run(&spread), Typology::FanIn).is_empty());
    let within: Vec<Row> = (0..5)
        .map(|i| (i as f64 * 17.9, rows[i].1, "hub", 900.0, Wire, ""))
        .collect();
    assert_eq!(of(&run(&within), Typology::FanIn).len(), 1);
    // Card purchases from many customers are a shop, not a fan-in.
    let shop: Vec<Row> = (0..20)
        .map(|i| (i as f64, rows[i % 8].1, "shop", 20.0, Card, ""))
        .collect();
    assert!(of(&run(&shop), Typology::FanIn).is_empty());
}

#[test]
fn fan_out_and_known_counterparties() {
    let names: Vec<String> = (0..6).map(|i| format!("r{i}")).collect();
    let month: Vec<Row> = names
        .iter()
        .map(|r| (1.0, "boss", r.as_str(), 3_000.0, Ach, ""))
        .collect();
    assert_eq!(of(&run(&month), Typology::FanOut).len(), 1);
    // With known_days, paying the same people as last week is payroll, not a fan-out (the
    // usual-activity test, off here, would also pass over the second week).
    let rules =
        Rules::from_toml("[fan_out]\nknown_days = 10\nabove_usual = 0\n", "r.toml").unwrap();
    let mut twice = month.clone();
    twice.extend(
        names
            .iter()
            .map(|r| (24.0 * 7.0 + 1.0, "boss", r.as_str(), 3_000.0, Ach, "")),
    );
    let alerts = run_with(rules, &twice);
    let fans = of(&alerts, Typology::FanOut);
    assert_eq!(
        fans.len(),
        1,
        "only the first week's, when nobody was known yet"
    );
    assert!(fans[0].transactions.iter().all(|t| {
        ["line:1", "line:2", "line:3", "line:4", "line:5", "line:6"].contains(&t.as_str())
    }));
}

#[test]
fn funnel_needs_cash_away_from_home_then_money_out() {
    let mut rows: Vec<Row> = (0..6)
        .map(|i| {
            (
                i as f64 * 10.0,
                ["p0", "p1", "p2", "p3", "p4", "p5"][i],
                "funnel",
                2_000.0,
                Cash,
                ["far1", "far2"][i % 2],
            )
        })
        .collect();
    rows.push((70.0, "funnel", "boss", 10_000.0, Wire, ""));
    let run_home = |rows: &[Row]| {
        run_set_up(Rules::default(), rows, |names, _| {
            let account = names.account("funnel");
            let home = names.place("home");
            names.set_home(account, home);
        })
    };
    let alerts = run_home(&rows);
    let funnels = of(&alerts, Typology::Funnel);
    assert_eq!(funnels.len(), 1, "{alerts:#?}");
    assert!(funnels[0].accounts.contains(&"boss".to_string()));
    // Deposits at the home branch are the owner's business; 10,000 of 12,000 is above 80%,
    // but 9,000 is not.
    let at_home: Vec<Row> = rows
        .iter()
        .map(|r| {
            if r.4 == Cash {
                (r.0, r.1, r.2, r.3, r.4, "home")
            } else {
                *r
            }
        })
        .collect();
    assert!(of(&run_home(&at_home), Typology::Funnel).is_empty());
    let mut short = rows.clone();
    short[6].3 = 9_000.0;
    assert!(of(&run_home(&short), Typology::Funnel).is_empty());
    // The wire more than 48 h after the last deposit: not a funnel.
    let mut slow = rows.clone();
    slow[6].0 = 50.0 + 49.0;
    assert!(of(&run_home(&slow), Typology::Funnel).is_empty());
}

/// "mule" passes 4,800 of 5,000 on within 2 h, then 6,400 of 7,000 within 10 h.
fn passed_on_twice() -> Vec<Row<'static>> {
    vec![
        (1.0, "x", "mule", 5_000.0, Wire, ""),
        (3.0, "mule", "y", 4_800.0, Wire, ""),
        (30.0, "x2", "mule", 7_000.0, Wire, ""),
        (40.0, "mule", "y2", 6_400.0, Wire, ""),
    ]
}

#[test]
fn pass_through_needs_nearly_all_out_soon_and_twice() {
    let rows = passed_on_twice();
    let alerts = run(&rows);
    assert_eq!(of(&alerts, Typology::PassThrough).len(), 1, "{alerts:#?}");
    // 6,200 of 7,000 is under 90%; out 25 h after in is outside 24 h.
    let mut low = rows.clone();
    low[3].3 = 6_200.0;
    assert!(of(&run(&low), Typology::PassThrough).is_empty());
    let mut late = rows.clone();
    late[3].0 = 30.0 + 25.0;
    assert!(of(&run(&late), Typology::PassThrough).is_empty());
}

#[test]
fn pass_through_stands_out_against_the_transfers_an_account_usually_gets() {
    // Two pass-throughs in the stream's third week.
    let passes: Vec<Row> = vec![
        (400.0, "x", "acct", 5_000.0, Wire, ""),
        (403.0, "acct", "y", 4_800.0, Wire, ""),
        (430.0, "x2", "acct", 7_000.0, Wire, ""),
        (440.0, "acct", "y2", 6_400.0, Wire, ""),
    ];
    // A quiet account's history: a transfer in every eight days.
    let mut quiet: Vec<Row> = (0..2)
        .map(|i| (200.0 * i as f64, "payer", "acct", 900.0, Ach, ""))
        .collect();
    quiet.extend(&passes);
    assert_eq!(of(&run(&quiet), Typology::PassThrough).len(), 1);
    // An account paid by transfer twice a day passes two of them on by chance.
    let mut busy: Vec<Row> = (0..32)
        .map(|i| (12.0 * i as f64, "client", "acct", 900.0, Ach, ""))
        .collect();
    busy.extend(&passes);
    assert!(of(&run(&busy), Typology::PassThrough).is_empty());
}

#[test]
fn pass_through_is_most_of_what_the_account_pays_out() {
    // 11,200 passed on, and 2 x 2,350 in wages by ACH in the same week: 70.4% of the
    // 15,900 sent by transfer was passed on. A cheque, and wages paid eight days before, do
    // not count.
    let rows = |wage: f64| -> Vec<Row> {
        vec![
            (-200.0, "acct", "staff1", 9_000.0, Ach, ""),
            (1.0, "x", "acct", 5_000.0, Wire, ""),
            (3.0, "acct", "y", 4_800.0, Wire, ""),
            (20.0, "acct", "staff1", wage, Ach, ""),
            (20.5, "acct", "staff2", wage, Ach, ""),
            (21.0, "acct", "landlord", 10_000.0, Channel::Cheque, ""),
            (30.0, "x2", "acct", 7_000.0, Wire, ""),
            (40.0, "acct", "y2", 6_400.0, Wire, ""),
        ]
    };
    assert_eq!(of(&run(&rows(2_350.0)), Typology::PassThrough).len(), 1);
    // 2 x 2,450: 69.6%, a firm paying its way as well as a supplier.
    assert!(of(&run(&rows(2_450.0)), Typology::PassThrough).is_empty());
    let rules = Rules::from_toml("[pass_through]\npassed_share = 0\n", "r.toml").unwrap();
    assert_eq!(
        of(&run_with(rules, &rows(2_450.0)), Typology::PassThrough).len(),
        1
    );
}

#[test]
fn a_business_passing_businesses_money_on_to_businesses_needs_more_pairs() {
    let twice = passed_on_twice();
    let mut thrice = twice.clone();
    thrice.push((60.0, "x3", "mule", 4_000.0, Wire, ""));
    thrice.push((62.0, "mule", "y3", 3_900.0, Wire, ""));
    // The segments the bank knows; accounts it does not name are no business's.
    let pass_throughs = |rules: Rules, rows: &[Row], known: &[(&str, Segment)]| {
        let alerts = run_set_up(rules, rows, |names, monitor| {
            for (account, segment) in known {
                monitor.set_segment(names.account(account), *segment);
            }
        });
        of(&alerts, Typology::PassThrough).len()
    };
    let firms = |accounts: &[&'static str]| -> Vec<(&'static str, Segment)> {
        accounts.iter().map(|a| (*a, Segment::Business)).collect()
    };
    let trade = firms(&["mule", "x", "y", "x2", "y2", "x3", "y3"]);
    let rules = Rules::default;
    // A firm paid by firms and paying firms: trade, twice a week by chance; three times not.
    assert_eq!(pass_throughs(rules(), &twice, &trade), 0);
    assert_eq!(pass_throughs(rules(), &thrice, &trade), 1);
    // A pair with a person (or an account the bank did not name) on either side is no trade:
    // two such are enough, as for anyone; one such and one of trade are not.
    let one = [
        firms(&["mule", "x", "x2", "y2"]),
        vec![("y", Segment::Person)],
    ]
    .concat();
    assert_eq!(pass_throughs(rules(), &twice, &one), 0);
    let both = [firms(&["mule", "x", "x2"]), vec![("y", Segment::Person)]].concat();
    assert_eq!(pass_throughs(rules(), &twice, &both), 1);
    assert_eq!(pass_throughs(rules(), &twice, &firms(&["mule"])), 1);
    // A person's account passing firms' money on is judged as anyone's.
    let person = [
        vec![("mule", Segment::Person)],
        firms(&["x", "y", "x2", "y2"]),
    ]
    .concat();
    assert_eq!(pass_throughs(rules(), &twice, &person), 1);
    assert_eq!(pass_throughs(rules(), &twice, &[]), 1);
    // 0 asks of a business what it asks of anyone.
    let same = Rules::from_toml("[pass_through]\nbusiness_min_pairs = 0\n", "r.toml").unwrap();
    assert_eq!(pass_throughs(same, &twice, &trade), 1);
    let lower = Rules::from_toml("[pass_through]\nbusiness_min_pairs = 1\n", "r.toml");
    assert!(
        lower
            .unwrap_err()
            .to_string()
            .contains("business_min_pairs")
    );
}

#[test]
fn pass_through_counts_only_payments_that_could_be_passed_on() {
    // A shop takes forty card payments in the week it passes two wires on.
    let mut rows: Vec<Row> = (0..40)
        .map(|i| (2.0 * i as f64, "customer", "shop", 30.0, Card, ""))
        .collect();
    rows.extend([
        (10.0, "x", "shop", 5_000.0, Wire, ""),
        (13.0, "shop", "y", 4_800.0, Wire, ""),
        (40.0, "x2", "shop", 7_000.0, Wire, ""),
        (50.0, "shop", "y2", 6_400.0, Wire, ""),
    ]);
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert_eq!(of(&run(&rows), Typology::PassThrough).len(), 1);
    // Twenty-one transfers in, though, is too busy for two matches to mean anything.
    let mut transfers = rows.clone();
    for r in transfers.iter_mut().filter(|r| r.4 == Card).take(21) {
        (r.3, r.4) = (300.0, Ach);
    }
    assert!(of(&run(&transfers), Typology::PassThrough).is_empty());
}

#[test]
fn cycles_close_in_time_order_only() {
    let rows: Vec<Row> = vec![
        (1.0, "a", "b", 10_000.0, Wire, ""),
        (5.0, "b", "c", 9_800.0, Wire, ""),
        (9.0, "c", "d", 9_600.0, Wire, ""),
        (13.0, "d", "a", 9_400.0, Wire, ""),
    ];
    let alerts = run(&rows);
    let cycles = of(&alerts, Typology::Cycle);
    assert_eq!(cycles.len(), 1, "{alerts:#?}");
    let mut accounts = cycles[0].accounts.clone();
    accounts.sort();
    assert_eq!(accounts, ["a", "b", "c", "d"]);
    assert_eq!(cycles[0].transactions.len(), 4);
    // The same edges out of time order (c→d before b→c) are no flow of money around.
    let shuffled = [
        rows[0],
        (5.0, "c", "d", 9_600.0, Wire, ""),
        (9.0, "b", "c", 9_800.0, Wire, ""),
        (13.0, "d", "a", 9_400.0, Wire, ""),
    ];
    assert!(of(&run(&shuffled), Typology::Cycle).is_empty());
    // Longer than eight hops is past the bar.
    let ring: Vec<String> = (0..10).map(|i| format!("n{i}")).collect();
    let long: Vec<Row> = (0..10)
        .map(|i| {
            (
                i as f64,
                ring[i].as_str(),
                ring[(i + 1) % 10].as_str(),
                1_000.0,
                Wire,
                "",
            )
        })
        .collect();
    assert!(of(&run(&long), Typology::Cycle).is_empty());
}

#[test]
fn scatter_gather_and_gather_scatter() {
    let mids = ["m1", "m2", "m3", "m4"];
    let mut rows: Vec<Row> = mids
        .iter()
        .map(|m| (1.0, "src", *m, 2_000.0, Wire, ""))
        .collect();
    rows.extend(mids.iter().map(|m| (20.0, *m, "sink", 1_950.0, Wire, "")));
    let alerts = run(&rows);
    let sg = of(&alerts, Typology::ScatterGather);
    assert_eq!(sg.len(), 1, "{alerts:#?}");
    assert_eq!(sg[0].accounts[0], "sink");
    assert_eq!(sg[0].transactions.len(), 8);
    // Three paths are under the bar of four.
    let three: Vec<Row> = rows
        .iter()
        .filter(|r| r.1 != "m4" && r.2 != "m4")
        .copied()
        .collect();
    assert!(of(&run(&three), Typology::ScatterGather).is_empty());

    let ins = ["i1", "i2", "i3", "i4"];
    let outs = ["o1", "o2", "o3", "o4"];
    let mut gs: Vec<Row> = ins
        .iter()
        .map(|i| (1.0, *i, "hub", 1_000.0, Wire, ""))
        .collect();
    gs.extend(outs.iter().map(|o| (10.0, "hub", *o, 950.0, Wire, "")));
    assert_eq!(of(&run(&gs), Typology::GatherScatter).len(), 1);
    // Paying out far less than came in (a shop paying suppliers a little) is not it.
    let mut little = gs.clone();
    for r in little.iter_mut().skip(4) {
        r.3 = 100.0;
    }
    assert!(of(&run(&little), Typology::GatherScatter).is_empty());
    // Nor paying out far more (a business's other payments), nor paying out another way.
    let mut more = gs.clone();
    for r in more.iter_mut().skip(4) {
        r.3 = 2_500.0;
    }
    assert!(of(&run(&more), Typology::GatherScatter).is_empty());
    // A payment out larger than all that was gathered is none of its parts: the firm's own,
    // it neither spoils the scatter's ratio nor is named in it.
    let mut own = gs.clone();
    own.insert(4, (9.0, "hub", "o5", 9_000.0, Wire, ""));
    let own = run(&own);
    let own = of(&own, Typology::GatherScatter);
    assert_eq!(own.len(), 1, "{own:#?}");
    assert!(!own[0].accounts.iter().any(|a| a == "o5"), "{own:#?}");
    // Nor does it join the scatter once open.
    let mut after = gs.clone();
    after.push((20.0, "hub", "o5", 9_000.0, Wire, ""));
    let after = run(&after);
    let after = of(&after, Typology::GatherScatter);
    assert_eq!(after.len(), 1, "{after:#?}");
    assert!(!after[0].accounts.iter().any(|a| a == "o5"), "{after:#?}");
    let mut cheques = gs.clone();
    for r in cheques.iter_mut().skip(4) {
        r.4 = Channel::Cheque;
    }
    assert!(of(&run(&cheques), Typology::GatherScatter).is_empty());
}

#[test]
fn a_busy_sink_gathers_only_like_parts_of_one_sources_money() {
    // A shop paid by `customers` others in the days before; then one source pays the
    // intermediates `parts`, and each passes 95% of it on to the shop.
    let script = |customers: usize, parts: &[f64]| {
        let mut rows: Vec<Row> = (0..customers)
            .map(|k| {
                let c: &'static str = Box::leak(format!("c{k}").into_boxed_str());
                (
                    k as f64 * 40.0 / customers as f64,
                    c,
                    "shop",
                    80.0,
                    Card,
                    "",
                )
            })
            .collect();
        let mids: Vec<&'static str> = (0..parts.len())
            .map(|k| &*Box::leak(format!("m{k}").into_boxed_str()))
            .collect();
        for (k, m) in mids.iter().enumerate() {
            rows.push((50.0 + k as f64, "src", *m, parts[k], Wire, ""));
        }
        for (k, m) in mids.iter().enumerate() {
            rows.push((60.0 + k as f64, *m, "shop", parts[k] * 0.95, Wire, ""));
        }
        rows
    };
    let like = [2_000.0, 2_300.0, 2_600.0, 2_750.0];
    let unlike = [1_000.0, 2_000.0, 3_000.0, 4_000.0];
    let found = |customers: usize, parts: &[f64]| {
        let alerts = run(&script(customers, parts));
        of(&alerts, Typology::ScatterGather)
            .iter()
            .map(|a| a.accounts.clone())
            .collect::<Vec<_>>()
    };
    // A quiet sink: any four paths from one source.
    assert_eq!(found(10, &like).len(), 1);
    assert_eq!(found(10, &unlike).len(), 1);
    // A shop paid by a hundred: like parts only (2,750 is within 1.4x of 2,000; 4,000 of
    // 1,000 is not) …
    assert_eq!(found(100, &like).len(), 1);
    assert!(found(100, &unlike).is_empty());
    // … and an odd part beside four like ones neither hides them nor is named with them.
    let mixed = found(100, &[2_000.0, 9_000.0, 2_300.0, 2_600.0, 2_750.0]);
    assert_eq!(mixed.len(), 1, "{mixed:?}");
    assert!(!mixed[0].iter().any(|a| a == "m1"), "{mixed:?}");
    assert_eq!(mixed[0].len(), 6, "{mixed:?}");
    // Paid by six hundred, it is mass business.
    assert!(found(600, &like).is_empty());
    // A source paying a hundred others before is held to like parts too, into a quiet sink.
    let busy_source = |parts: &[f64]| {
        let mut rows: Vec<Row> = (0..100)
            .map(|k| {
                let s: &'static str = Box::leak(format!("s{k}").into_boxed_str());
                (k as f64 * 0.4, "src", s, 50.0 + k as f64, Ach, "")
            })
            .collect();
        rows.extend(script(0, parts));
        of(&run(&rows), Typology::ScatterGather).len()
    };
    assert_eq!(busy_source(&like), 1);
    assert_eq!(busy_source(&unlike), 0);
}

#[test]
fn gather_scatter_by_transfer_is_judged_against_the_transfers_usually_received() {
    // Twelve days of a shop's takings (ten a day from different customers), by `channel`,
    // then four like wires gathered and scattered on the thirteenth.
    let with_history = |channel: Channel| {
        let mut rows: Vec<Row> = Vec::new();
        for day in 0..12 {
            for c in 0..10 {
                let customer: &'static str = Box::leak(format!("c{day}-{c}").into_boxed_str());
                rows.push((
                    24.0 * day as f64 + c as f64,
                    customer,
                    "hub",
                    40.0,
                    channel,
                    "",
                ));
            }
        }
        for (k, i) in ["i1", "i2", "i3", "i4"].iter().enumerate() {
            rows.push((290.0 + k as f64, *i, "hub", 1_000.0, Wire, ""));
        }
        for (k, o) in ["o1", "o2", "o3", "o4"].iter().enumerate() {
            rows.push((300.0 + k as f64, "hub", *o, 950.0, Wire, ""));
        }
        rows
    };
    // Card takings do not hide transfers gathered and scattered …
    let shop = run(&with_history(Card));
    assert_eq!(of(&shop, Typology::GatherScatter).len(), 1, "{shop:#?}");
    // … but an account that gets ten transfers a day is doing what it usually does.
    let busy = run(&with_history(Wire));
    assert!(of(&busy, Typology::GatherScatter).is_empty(), "{busy:#?}");
}

#[test]
fn a_gathering_is_judged_by_its_channel_over_its_own_span() {
    // A firm paid two wires and `ach` ACH payments a day, of all sizes, for twelve days; then
    // ten like ACH payments within 57 hours, scattered on to five.
    let firm = |ach: usize| {
        let mut rows: Vec<Row> = Vec::new();
        for day in 0..12 {
            for k in 0..2 + ach {
                let payer: &'static str = Box::leak(format!("c{day}-{k}").into_boxed_str());
                let channel = if k < 2 { Wire } else { Ach };
                let amount = [300.0, 9_000.0, 1_200.0, 25_000.0, 60.0][(day + k) % 5];
                rows.push((
                    24.0 * day as f64 + 8.0 + k as f64,
                    payer,
                    "hub",
                    amount,
                    channel,
                    "",
                ));
            }
        }
        for k in 0..10 {
            let sender: &'static str = Box::leak(format!("s{k}").into_boxed_str());
            let at = 24.0 * 12.0 + k as f64 * 6.3;
            rows.push((at, sender, "hub", 2_400.0 + 40.0 * k as f64, Ach, ""));
        }
        for (k, o) in ["o1", "o2", "o3", "o4", "o5"].iter().enumerate() {
            rows.push((24.0 * 15.0 + k as f64, "hub", *o, 4_900.0, Ach, ""));
        }
        rows
    };
    // One ACH payment a day is its usual by that channel: ten in under three days stand
    // out, however many wires it also gets (judged against all its transfers over the
    // rule's five days, they would not) …
    let quiet = run(&firm(1));
    let gs = of(&quiet, Typology::GatherScatter);
    assert_eq!(gs.len(), 1, "{quiet:#?}");
    assert_eq!(gs[0].accounts.len(), 16, "{:#?}", gs[0]);
    // The chance of ten or more at that rate is about two in ten thousand: a bar of one in
    // a million, set for gathering alone, drops it.
    let strict = Rules::from_toml("[gather_scatter]\nmax_chance = 0.000001\n", "r.toml").unwrap();
    let strict = run_with(strict, &firm(1));
    assert!(
        of(&strict, Typology::GatherScatter).is_empty(),
        "{strict:#?}"
    );
    // … but a firm paid five ACH payments a day gets ten in such a span as a matter of course
    // (with the like-share test off, which its invoices of all sizes would fail anyway).
    let no_share = || Rules::from_toml("[gather_scatter]\nlike_share = 0\n", "r.toml").unwrap();
    let busy = run_with(no_share(), &firm(5));
    assert!(of(&busy, Typology::GatherScatter).is_empty(), "{busy:#?}");
    assert_eq!(
        of(&run_with(no_share(), &firm(1)), Typology::GatherScatter).len(),
        1
    );
}

#[test]
fn a_gathering_on_the_first_days_is_judged_at_close_by_its_senders() {
    // On the stream's second day four like ACH payments come in and go out to five; from
    // then on the hub is paid ACH payments of all sizes, `per_day` of them a day. Judged at
    // close, once history tells, four senders against its usual: not its five recipients and
    // nine payments besides.
    let hub = |per_day: f64| {
        let mut rows: Vec<Row> = Vec::new();
        for (k, i) in ["i1", "i2", "i3", "i4"].iter().enumerate() {
            rows.push((24.0 + 2.0 * k as f64, *i, "hub", 2_000.0, Ach, ""));
        }
        for (k, o) in ["o1", "o2", "o3", "o4", "o5"].iter().enumerate() {
            rows.push((34.0 + k as f64, "hub", *o, 1_500.0, Ach, ""));
        }
        let mut at = 48.0;
        let mut k = 0;
        while at < 24.0 * 12.0 {
            let payer: &'static str = Box::leak(format!("p{k}").into_boxed_str());
            let amount = [90.0, 4_000.0, 650.0, 17_000.0][k % 4];
            rows.push((at, payer, "hub", amount, Ach, ""));
            at += 24.0 / per_day;
            k += 1;
        }
        rows
    };
    // Three a day: four in a day is barely above usual. Three a week: it stands out.
    let busy = run(&hub(3.0));
    assert!(of(&busy, Typology::GatherScatter).is_empty(), "{busy:#?}");
    let quiet = run(&hub(3.0 / 7.0));
    assert_eq!(of(&quiet, Typology::GatherScatter).len(), 1, "{quiet:#?}");
}

#[test]
fn a_gathering_is_most_of_what_came_in_that_way() {
    // On the stream's first day (no history to judge by), four like wires gathered and
    // scattered, beside `others` wires of other sizes in the same window.
    let hub = |others: &[f64]| {
        let mut rows: Vec<Row> = Vec::new();
        for (k, amount) in others.iter().enumerate() {
            let payer: &'static str = Box::leak(format!("p{k}").into_boxed_str());
            rows.push((k as f64 * 0.5, payer, "hub", *amount, Wire, ""));
        }
        for (k, i) in ["i1", "i2", "i3", "i4"].iter().enumerate() {
            rows.push((5.0 + k as f64, *i, "hub", 1_000.0, Wire, ""));
        }
        for (k, o) in ["o1", "o2", "o3", "o4"].iter().enumerate() {
            rows.push((10.0 + k as f64, "hub", *o, 950.0, Wire, ""));
        }
        rows
    };
    // Four of five is a gathering; four of seven is a firm paid invoices of all sizes,
    // which holds a few like ones by chance. A share of 0 turns the test off.
    let mostly = hub(&[40_000.0]);
    assert_eq!(of(&run(&mostly), Typology::GatherScatter).len(), 1);
    let invoices = hub(&[40_000.0, 150.0, 7_000.0]);
    assert!(of(&run(&invoices), Typology::GatherScatter).is_empty());
    let off = Rules::from_toml("[gather_scatter]\nlike_share = 0\n", "r.toml").unwrap();
    assert_eq!(
        of(&run_with(off, &invoices), Typology::GatherScatter).len(),
        1
    );
}

#[test]
fn pass_through_is_judged_against_the_transfers_before_its_window() {
    // An account paid by wire now and then (`every` days) for two weeks, then passing two
    // wires on within hours.
    let script = |every: usize| {
        let mut rows: Vec<Row> = Vec::new();
        for day in (0..13).step_by(every) {
            let payer: &'static str = Box::leak(format!("payer-{day}").into_boxed_str());
            rows.push((
                24.0 * day as f64 + 9.0,
                payer,
                "p",
                700.0 + day as f64,
                Wire,
                "",
            ));
        }
        rows.push((24.0 * 13.0 + 10.0, "in1", "p", 5_000.0, Wire, ""));
        rows.push((24.0 * 13.0 + 14.0, "p", "out1", 4_800.0, Wire, ""));
        rows.push((24.0 * 14.0 + 10.0, "in2", "p", 6_000.0, Wire, ""));
        rows.push((24.0 * 14.0 + 15.0, "p", "out2", 5_700.0, Wire, ""));
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        rows
    };
    // Four wires in two weeks, two of them in the week of the pass-throughs: what came in
    // that week is not its usual, so two passed on stand out …
    let rare = run(&script(4));
    assert_eq!(of(&rare, Typology::PassThrough).len(), 1, "{rare:#?}");
    // … but an account paid by wire every day passes two on by chance.
    let daily = run(&script(1));
    assert!(of(&daily, Typology::PassThrough).is_empty(), "{daily:#?}");
}

#[test]
fn a_pass_through_judged_after_the_warm_up_does_not_count_its_own_inflows_as_usual() {
    // One ordinary transfer at the stream's start, then four rounds passed on. The first
    // episode opens at the second round, takes the third, and is judged after the warm-up
    // (at hour 264); the fourth round came after its window and is not in it. Of the five
    // transfers in, only the first is the account's usual: the rounds before the span
    // judged are the episode's own.
    let script = |ordinary: usize| {
        let mut rows: Vec<Row> = (0..ordinary)
            .map(|i| (1.0 + i as f64, "payer", "p", 900.0, Ach, ""))
            .collect();
        rows.extend([
            (46.0, "in1", "p", 10_300.0, Wire, ""),
            (64.0, "p", "out1", 9_450.0, Wire, ""),
            (92.0, "in2", "p", 1_670.0, Wire, ""),
            (110.0, "p", "out2", 1_540.0, Wire, ""),
            (131.5, "in3", "p", 15_200.0, Wire, ""),
            (134.0, "p", "out3", 14_570.0, Wire, ""),
            (171.0, "in4", "p", 2_680.0, Wire, ""),
            (183.5, "p", "out4", 2_430.0, Wire, ""),
            (270.0, "z1", "z2", 20.0, Card, ""),
        ]);
        rows
    };
    let alerts = run(&script(1));
    assert_eq!(of(&alerts, Typology::PassThrough).len(), 1, "{alerts:#?}");
    // Three ordinary transfers in four days are more than three pass-throughs a week stand
    // out from.
    assert!(of(&run(&script(3)), Typology::PassThrough).is_empty());
}

#[test]
fn alerts_do_not_depend_on_the_order_accounts_were_first_seen() {
    // Accounts are numbered as first seen, or as a segment file or a watchlist names them
    // before the stream: the numbers must not choose what alerts or which account names it.
    let (first, second, third) = (["a1", "a2", "a3"], ["b1", "b2", "b3"], ["c1", "c2", "c3"]);
    let mut rows: Vec<Row> = Vec::new();
    for i in 0..3 {
        for j in [i, (i + 1) % 3] {
            rows.push((1.0 + i as f64, first[i], second[j], 3_000.0, Ach, ""));
            rows.push((30.0 + i as f64, second[i], third[j], 3_500.0, Ach, ""));
        }
    }
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    let as_read = run(&rows);
    let reversed = run_set_up(Rules::default(), &rows, |names, _| {
        for account in third.iter().chain(&second).chain(&first).rev() {
            names.account(account);
        }
    });
    assert!(!of(&as_read, Typology::Stack).is_empty(), "{as_read:#?}");
    assert_eq!(as_read, reversed);
    // A layer is named by who paid first.
    let layer = of(&as_read, Typology::Bipartite);
    assert_eq!(layer[0].accounts[0], "a1", "{layer:?}");
    // A ring by where the money started and came back to.
    let ring: Vec<Row> = vec![
        (100.0, "a", "b", 10_000.0, Wire, ""),
        (104.0, "b", "c", 9_800.0, Wire, ""),
        (108.0, "c", "d", 9_600.0, Wire, ""),
        (112.0, "d", "a", 9_400.0, Wire, ""),
    ];
    let reversed = run_set_up(Rules::default(), &ring, |names, _| {
        for account in ["d", "c", "b", "a"] {
            names.account(account);
        }
    });
    assert_eq!(reversed, run(&ring));
    let cycles = of(&reversed, Typology::Cycle);
    assert_eq!(cycles.len(), 1, "{reversed:#?}");
    assert_eq!(cycles[0].accounts, ["a", "b", "c", "d"]);
}

#[test]
fn bipartite_layers_and_their_stack() {
    let first = ["a1", "a2", "a3"];
    let second = ["b1", "b2", "b3"];
    let third = ["c1", "c2", "c3"];
    let mut rows: Vec<Row> = Vec::new();
    for (i, s) in first.iter().enumerate() {
        for r in second.iter().skip(i % 2).take(2) {
            rows.push((1.0 + i as f64, s, r, 3_000.0, Wire, ""));
        }
    }
    let alerts = run(&rows);
    assert_eq!(of(&alerts, Typology::Bipartite).len(), 1, "{alerts:#?}");
    assert!(of(&alerts, Typology::Stack).is_empty());
    for (i, s) in second.iter().enumerate() {
        for r in third.iter().skip(i % 2).take(2) {
            rows.push((30.0 + i as f64, s, r, 2_900.0, Wire, ""));
        }
    }
    let alerts = run(&rows);
    assert_eq!(of(&alerts, Typology::Stack).len(), 1, "{alerts:#?}");
    // Each sender paying one receiver only is a set of pairs, not a layer.
    let pairs: Vec<Row> = first
        .iter()
        .zip(second)
        .map(|(s, r)| (1.0, *s, r, 3_000.0, Wire, ""))
        .collect();
    assert!(of(&run(&pairs), Typology::Bipartite).is_empty());
}

#[test]
fn a_layer_spreads_its_senders_money_over_the_same_accounts() {
    // Three firms paying like invoices, each mostly to suppliers of its own: two of the five
    // paid are paid by two of them (under half), so no layer. When the first and the third
    // pay what the second pays, two of three are shared: a layer.
    let rows = |first: [&'static str; 2], third: [&'static str; 2]| -> Vec<Row<'static>> {
        let mut rows: Vec<Row> = Vec::new();
        for (k, r) in first.iter().enumerate() {
            rows.push((1.0 + k as f64, "s1", *r, 3_000.0, Wire, ""));
        }
        for (k, r) in third.iter().enumerate() {
            rows.push((3.0 + k as f64, "s3", *r, 3_000.0, Wire, ""));
        }
        for (k, r) in ["x2", "r1", "r2"].iter().enumerate() {
            rows.push((5.0 + k as f64, "s2", *r, 3_000.0, Wire, ""));
        }
        rows
    };
    let sparse = rows(["r1", "x1"], ["r2", "x3"]);
    assert!(of(&run(&sparse), Typology::Bipartite).is_empty());
    let rules = Rules::from_toml("[bipartite]\nshared_receivers = 0.4\n", "r.toml").unwrap();
    assert_eq!(of(&run_with(rules, &sparse), Typology::Bipartite).len(), 1);
    let dense = rows(["r1", "r2"], ["r2", "r1"]);
    assert_eq!(of(&run(&dense), Typology::Bipartite).len(), 1);
    // The sparse one is still followed: r1 and r2 passing on what they got is a stack.
    let mut on = sparse.clone();
    on.extend([
        (40.0, "r1", "c1", 4_000.0, Wire, ""),
        (41.0, "r1", "c2", 1_700.0, Wire, ""),
        (43.0, "r2", "c2", 4_000.0, Wire, ""),
        (44.0, "r2", "c3", 1_700.0, Wire, ""),
    ]);
    assert_eq!(of(&run(&on), Typology::Stack).len(), 1, "{:#?}", run(&on));
}

/// A first layer of like payments (a1..a3 paying two of b1..b3 each, `amount` apiece, by
/// ACH), then b1..b3 paying on, unevenly, `shares` of what each got to two of c1..c3.
fn stack_passed_on(amount: f64, shares: [f64; 3], to: [&'static str; 3]) -> Vec<Row<'static>> {
    let first = ["a1", "a2", "a3"];
    let second = ["b1", "b2", "b3"];
    let mut rows: Vec<Row> = Vec::new();
    let mut got = [0.0; 3];
    for (i, s) in first.iter().enumerate() {
        for j in [i % 3, (i + 1) % 3] {
            rows.push((1.0 + i as f64, *s, second[j], amount, Ach, ""));
            got[j] += amount;
        }
    }
    for (j, b) in second.iter().enumerate() {
        let onward = got[j] * shares[j];
        // Split 70 / 30: unlike each other, so no bipartite layer of their own.
        let hour = 40.0 + 3.0 * j as f64;
        rows.push((hour, *b, to[j], onward * 0.7, Ach, ""));
        rows.push((hour + 1.0, *b, to[(j + 1) % 3], onward * 0.3, Ach, ""));
    }
    rows
}

#[test]
fn a_stack_is_seen_as_a_layer_passes_its_money_on() {
    let onward = ["c1", "c2", "c3"];
    let alerts = run(&stack_passed_on(3_000.0, [0.95, 0.92, 0.99], onward));
    let stacks = of(&alerts, Typology::Stack);
    assert_eq!(stacks.len(), 1, "{alerts:#?}");
    // The whole stack: both layers' payments, every account of the three sets.
    assert_eq!(stacks[0].transactions.len(), 12, "{:?}", stacks[0]);
    for a in ["a1", "b2", "c3"] {
        assert!(stacks[0].accounts.iter().any(|x| x == a), "{a}");
    }
    // At the edge: 85% passed on is a stack, 84% is not; nor is more than was received.
    let edge = run(&stack_passed_on(3_000.0, [0.85, 0.85, 0.85], onward));
    assert_eq!(of(&edge, Typology::Stack).len(), 1);
    let kept = run(&stack_passed_on(3_000.0, [0.84, 0.84, 0.84], onward));
    assert!(of(&kept, Typology::Stack).is_empty(), "{kept:#?}");
    let more = run(&stack_passed_on(3_000.0, [1.2, 1.2, 1.2], onward));
    assert!(of(&more, Typology::Stack).is_empty());
    // Paying accounts it paid before the money came is the receivers' own business.
    let mut known = stack_passed_on(3_000.0, [0.95, 0.95, 0.95], onward);
    for (j, b) in ["b1", "b2", "b3"].iter().enumerate() {
        known.insert(0, (0.0, *b, onward[j], 50.0, Ach, ""));
        known.insert(0, (0.0, *b, onward[(j + 1) % 3], 50.0, Ach, ""));
    }
    assert!(of(&run(&known), Typology::Stack).is_empty());
    // Each passing on to accounts no other one pays is no next layer.
    let apart = ["c1", "c2", "c3"];
    let mut separate = stack_passed_on(3_000.0, [0.95, 0.95, 0.95], apart);
    for (k, row) in separate.iter_mut().skip(6).enumerate() {
        row.2 = ["d1", "d2", "d3", "d4", "d5", "d6"][k];
    }
    assert!(of(&run(&separate), Typology::Stack).is_empty());
    // Past stack.hours, money sent on is no longer the layer's.
    let mut late = stack_passed_on(3_000.0, [0.95, 0.95, 0.95], onward);
    for row in late.iter_mut().skip(6) {
        row.0 += 121.0;
    }
    assert!(of(&run(&late), Typology::Stack).is_empty());
}

#[test]
fn a_layer_grows_by_a_sender_that_comes_late_whatever_its_id() {
    // a1..a3 each pay two of b1..b3 alike: a layer. a0, seen first (so it sorts first), pays
    // b1 and b2 the same way after that: the same layer, grown. Then b1..b3 each pay two of
    // c1..c3 alike sums: the next layer, and a stack of both.
    let mut rows: Vec<Row> = vec![(0.0, "a0", "shop", 20.0, Card, "")];
    let (first, second, third) = (["a1", "a2", "a3"], ["b1", "b2", "b3"], ["c1", "c2", "c3"]);
    for i in 0..3 {
        for j in [i, (i + 1) % 3] {
            rows.push((1.0 + i as f64, first[i], second[j], 3_000.0, Ach, ""));
            rows.push((30.0 + i as f64, second[i], third[j], 3_500.0, Ach, ""));
        }
    }
    rows.push((5.0, "a0", "b1", 3_000.0, Ach, ""));
    rows.push((6.0, "a0", "b2", 3_000.0, Ach, ""));
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    let alerts = run(&rows);
    let stack = one_stack_naming(&alerts, "a0");
    assert_eq!(stack.transactions.len(), 14, "{stack:?}");
}

/// a1..a3 each pay two of b1..b3 3,000 (a layer); `h` pays b1 `paid` at each of `hours`;
/// b1 then sends on 95% of 9,000 and b2 95% of 6,000, to c1 and c2 and to c2 and c3, and
/// b3 pays a bill at hour 46.
fn stack_with_a_payer_left_out(paid: f64, hours: &[f64]) -> Vec<Row<'static>> {
    let (first, second) = (["a1", "a2", "a3"], ["b1", "b2", "b3"]);
    let mut rows: Vec<Row> = Vec::new();
    for (i, a) in first.iter().enumerate() {
        for j in [i, (i + 1) % 3] {
            rows.push((1.0 + i as f64, *a, second[j], 3_000.0, Ach, ""));
        }
    }
    rows.extend(hours.iter().map(|&hour| (hour, "h", "b1", paid, Ach, "")));
    rows.push((40.0, "b1", "c1", 8_550.0 * 0.7, Ach, ""));
    rows.push((41.0, "b1", "c2", 8_550.0 * 0.3, Ach, ""));
    rows.push((43.0, "b2", "c2", 5_700.0 * 0.7, Ach, ""));
    rows.push((44.0, "b2", "c3", 5_700.0 * 0.3, Ach, ""));
    rows.push((46.0, "b3", "utility", 80.0, Ach, ""));
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    rows
}

#[test]
fn a_payer_the_layer_left_out_is_counted_when_its_payment_is_alike() {
    // h paid only one receiver, so is none of the layer's senders; but b1 sent on more than
    // the layer paid it, and h's 3,000 is like the layer's payments.
    let alerts = run(&stack_with_a_payer_left_out(3_000.0, &[10.0]));
    one_stack_naming(&alerts, "h");
    // Two payments of 1,500 are unlike 3,000 (under it by more than 1.4 times), though with
    // them b1 would have sent on 95%; and money that came after b1 sent on (b3's bill makes
    // the layer be looked at again) was not what it sent. Then b1 sent on more than it got,
    // and one forwarder is no stack.
    let unlike = run(&stack_with_a_payer_left_out(1_500.0, &[10.0, 11.0]));
    assert!(of(&unlike, Typology::Stack).is_empty(), "{unlike:#?}");
    let after = run(&stack_with_a_payer_left_out(3_000.0, &[45.0]));
    assert!(of(&after, Typology::Stack).is_empty(), "{after:#?}");
    // A layer of sums under the bipartite floor is only followed, not found alike: too loose
    // to claim others' payments as its own.
    let floor = Rules::from_toml("[bipartite]\nmin_amount = 3500\n", "r.toml").unwrap();
    let loose = run_with(floor, &stack_with_a_payer_left_out(3_000.0, &[10.0]));
    assert!(of(&loose, Typology::Stack).is_empty(), "{loose:#?}");
}

#[test]
fn a_stack_naming_more_accounts_than_its_cap_is_mass_business() {
    // Nine accounts (a1..a3, b1..b3, c1..c3): the key and eight others. A network of firms
    // paying one another names scores; a cap of eight keeps this one, of seven drops it.
    let rows = stack_passed_on(3_000.0, [0.95, 0.92, 0.99], ["c1", "c2", "c3"]);
    let cap = |n: usize| {
        let rules = Rules::from_toml(&format!("[stack]\nmax_counterparties = {n}\n"), "r.toml");
        of(&run_with(rules.unwrap(), &rows), Typology::Stack).len()
    };
    assert_eq!(cap(8), 1);
    assert_eq!(cap(7), 0);
    assert_eq!(of(&run(&rows), Typology::Stack).len(), 1);
}

#[test]
fn a_third_layer_is_followed_though_its_senders_were_paid_by_another_layer_too() {
    let onward = ["c1", "c2", "c3"];
    let mut rows = stack_passed_on(3_000.0, [0.95, 0.95, 0.95], onward);
    // Others pay c1..c3 like sums too, after the stack's money came: a layer of its own,
    // newer than the stack's, which c1..c3 do not pass on.
    for (i, x) in ["x1", "x2", "x3"].iter().enumerate() {
        for j in [i % 3, (i + 1) % 3] {
            rows.push((50.0 + i as f64, *x, onward[j], 1_000.0, Ach, ""));
        }
    }
    // c1..c3 pass on what the stack's second layer paid them, unevenly, to d1..d3.
    let got: Vec<f64> = onward
        .iter()
        .map(|c| {
            rows.iter()
                .filter(|r| r.2 == *c && r.1.starts_with('b'))
                .map(|r| r.3)
                .sum()
        })
        .collect();
    let third = ["d1", "d2", "d3"];
    for (j, c) in onward.iter().enumerate() {
        let hour = 60.0 + 3.0 * j as f64;
        rows.push((hour, *c, third[j], got[j] * 0.95 * 0.6, Ach, ""));
        rows.push((
            hour + 1.0,
            *c,
            third[(j + 1) % 3],
            got[j] * 0.95 * 0.4,
            Ach,
            "",
        ));
    }
    let alerts = run(&rows);
    let stacks = of(&alerts, Typology::Stack);
    assert_eq!(stacks.len(), 1, "{alerts:#?}");
    for d in third {
        assert!(
            stacks[0].accounts.iter().any(|a| a == d),
            "{d}: {:?}",
            stacks[0]
        );
    }
    assert_eq!(stacks[0].transactions.len(), 18, "{:?}", stacks[0]);
}

#[test]
fn a_layer_of_small_sums_is_followed_but_not_alerted() {
    let onward = ["c1", "c2", "c3"];
    // 300 a payment: under bipartite.min_amount, so no bipartite alert on its own …
    let still = run(&stack_passed_on(300.0, [0.0; 3], onward)[..6]);
    assert!(still.is_empty(), "{still:#?}");
    // … but passed on, a stack; and under stack.min_amount, neither.
    let passed = run(&stack_passed_on(300.0, [0.95, 0.95, 0.95], onward));
    assert!(of(&passed, Typology::Bipartite).is_empty());
    assert_eq!(of(&passed, Typology::Stack).len(), 1, "{passed:#?}");
    let tiny = run(&stack_passed_on(90.0, [0.95, 0.95, 0.95], onward));
    assert!(of(&tiny, Typology::Stack).is_empty());
}

#[test]
fn busy_firms_are_no_layer_before_the_windows_are_full() {
    // Three firms each pay two of three others like sums by cheque on the stream's first day.
    let layer: Vec<Row> = ["f1", "f2", "f3"]
        .iter()
        .enumerate()
        .flat_map(|(i, f)| {
            [i % 3, (i + 1) % 3].map(|j| {
                (
                    10.0 + i as f64,
                    *f,
                    ["g1", "g2", "g3"][j],
                    4_000.0,
                    Channel::Cheque,
                    "",
                )
            })
        })
        .collect();
    assert_eq!(of(&run(&layer), Typology::Bipartite).len(), 1);
    // Firms that also paid twenty others that morning are busy for a day's share of the
    // horizon (64 payments in 9 days), though far from 64 yet: no layer.
    let mut busy = layer.clone();
    for f in ["f1", "f2", "f3"] {
        for k in 0..20 {
            let other: &'static str = Box::leak(format!("{f}-supplier-{k}").into_boxed_str());
            busy.push((k as f64 * 0.4, f, other, 50.0 + k as f64, Card, ""));
        }
    }
    busy.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert!(of(&run(&busy), Typology::Bipartite).is_empty());
    // The same twenty a week into the stream are a fraction of what a window holds.
    let later: Vec<Row> = busy
        .iter()
        .map(|r| (r.0 + 24.0 * 7.0, r.1, r.2, r.3, r.4, r.5))
        .collect();
    let mut with_history = vec![(0.0, "x", "y", 10.0, Card, "")];
    with_history.extend(later);
    assert_eq!(of(&run(&with_history), Typology::Bipartite).len(), 1);
}

#[test]
fn bipartite_layers_are_not_customers_paying_the_same_billers() {
    let senders = ["a1", "a2", "a3"];
    let receivers = ["b1", "b2", "b3"];
    let layer = |amount: f64| -> Vec<Row> {
        let mut rows = Vec::new();
        for (i, s) in senders.iter().enumerate() {
            for r in receivers.iter().skip(i % 2).take(2) {
                rows.push((1.0 + i as f64, *s, *r, amount, Wire, ""));
            }
        }
        rows
    };
    assert_eq!(of(&run(&layer(3_000.0)), Typology::Bipartite).len(), 1);
    // Small sums are people's purchases, whatever their shape.
    assert!(of(&run(&layer(300.0)), Typology::Bipartite).is_empty());
    // Receivers paid like sums by more of their own other customers than by the senders
    // are billers: no layer.
    let mut billers = layer(3_000.0);
    for r in receivers {
        for c in 0..4 {
            let customer = format!("{r}-customer-{c}");
            let customer: &'static str = Box::leak(customer.into_boxed_str());
            billers.push((0.5, customer, r, 2_800.0, Wire, ""));
        }
    }
    billers.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert!(of(&run(&billers), Typology::Bipartite).is_empty());
    // A sender that also pays a utility paid by hundreds is still in its layer.
    let mut utility: Vec<Row> = (0..70)
        .map(|i| (i as f64 / 100.0, "payer", "utility", 3_000.0, Wire, ""))
        .collect();
    utility.extend(layer(3_000.0));
    utility.push((4.0, "a1", "utility", 3_000.0, Wire, ""));
    assert_eq!(of(&run(&utility), Typology::Bipartite).len(), 1);
}

#[test]
fn split_payments_between_one_pair() {
    let rows: Vec<Row> = (0..3)
        .map(|i| (i as f64, "a", "b", 4.5, Wire, ""))
        .collect();
    assert_eq!(of(&run(&rows), Typology::Split).len(), 1);
    assert!(of(&run(&rows[..2]), Typology::Split).is_empty());
}

#[test]
fn micro_payments_to_one_payee_are_a_split_from_two() {
    // The payer usually pays 1,000.
    fn with<'a>(rows: &[Row<'a>]) -> Vec<Row<'a>> {
        let mut all: Vec<Row> = vec![
            (1.0, "a", "p1", 1_000.0, Wire, ""),
            (2.0, "a", "p2", 1_000.0, Wire, ""),
            (3.0, "a", "p3", 1_000.0, Wire, ""),
        ];
        all.extend_from_slice(rows);
        all
    }
    // Two payments each under a tenth of that, to one payee 24 h apart (the window's edge).
    let micro = with(&[
        (10.0, "a", "b", 99.99, Wire, ""),
        (34.0, "a", "b", 99.99, Wire, ""),
    ]);
    let alerts = run(&micro);
    let hits = of(&alerts, Typology::Split);
    assert_eq!(hits.len(), 1, "{alerts:#?}");
    assert_eq!(hits[0].accounts, ["a", "b"]);
    assert_eq!(hits[0].transactions, ["line:4", "line:5"]);
    assert!(
        hits[0].summary.contains("usually pays"),
        "{}",
        hits[0].summary
    );
    // Over a tenth: two bills, not a split.
    let over = with(&[
        (10.0, "a", "b", 100.01, Wire, ""),
        (11.0, "a", "b", 100.01, Wire, ""),
    ]);
    assert!(of(&run(&over), Typology::Split).is_empty());
    // 25 h apart: outside the window.
    let apart = with(&[
        (10.0, "a", "b", 99.99, Wire, ""),
        (35.0, "a", "b", 99.99, Wire, ""),
    ]);
    assert!(of(&run(&apart), Typology::Split).is_empty());
    // Two earlier payments are too few to say what the payer usually pays.
    assert!(of(&run(&micro[1..]), Typology::Split).is_empty());
    // By two channels: not one transfer cut small.
    let mixed = with(&[
        (10.0, "a", "b", 99.99, Wire, ""),
        (11.0, "a", "b", 99.99, Ach, ""),
    ]);
    assert!(of(&run(&mixed), Typology::Split).is_empty());
    // The test turned off.
    let off = Rules::from_toml("[split]\nsmall_ratio = 0\n", "r.toml").unwrap();
    assert!(of(&run_with(off, &micro), Typology::Split).is_empty());
}

#[test]
fn standing_payments_are_no_fan_out_but_a_first_fan_of_one_amount_is() {
    let recipients = ["r0", "r1", "r2", "r3", "r4"];
    // Five payments of 3,000.00 to strangers at hours 200..204: a fan-out, though alike to
    // the cent. The last one's 72 h window starts at hour 132; its standing look-back, four
    // days before that, at hour 36.
    let fan = |earlier: &[f64], amount: f64| {
        let mut rows: Vec<Row> = earlier
            .iter()
            .map(|&h| (h, "boss", "staff", amount, Ach, ""))
            .collect();
        rows.extend(
            recipients
                .iter()
                .enumerate()
                .map(|(i, r)| (200.0 + i as f64, "boss", *r, 3_000.0, Ach, "")),
        );
        rows
    };
    assert_eq!(of(&run(&fan(&[], 0.0)), Typology::FanOut).len(), 1);
    // Three payments of that very amount in the four days before: standing payments.
    let standing = fan(&[36.0, 37.0, 38.0], 3_000.0);
    assert!(
        of(&run(&standing), Typology::FanOut).is_empty(),
        "{:#?}",
        run(&standing)
    );
    // Just before the look-back, two of them, or another amount: the fan stands.
    for earlier in [
        fan(&[35.0, 35.5, 35.9], 3_000.0),
        fan(&[36.0, 37.0], 3_000.0),
        fan(&[36.0, 37.0, 38.0], 3_000.01),
    ] {
        let alerts = run(&earlier);
        assert_eq!(of(&alerts, Typology::FanOut).len(), 1, "{alerts:#?}");
    }
    // Off.
    let off = Rules::from_toml("[standing]\nrepeats = 0\n", "r.toml").unwrap();
    assert_eq!(of(&run_with(off, &standing), Typology::FanOut).len(), 1);
}

#[test]
fn a_standing_payment_is_not_passed_on() {
    let rows = passed_on_twice();
    // The first payment out, 4,800, was paid three times in the four days before its 24 h
    // window: rent, paid whatever came in. One pass-through is not enough.
    let mut rent: Vec<Row> = [-60.0, -50.0, -40.0]
        .iter()
        .map(|&h| (h, "mule", "landlord", 4_800.0, Wire, ""))
        .collect();
    rent.extend(&rows);
    assert!(of(&run(&rent), Typology::PassThrough).is_empty());
    // Paid before the look-back (more than 96 h before hour -21), it is not standing. (The
    // rent still lies within the week whose payments out the money passed on must mostly
    // make, so that test is off here.)
    let mut old: Vec<Row> = [-118.0, -119.0, -120.0]
        .iter()
        .map(|&h| (h, "mule", "landlord", 4_800.0, Wire, ""))
        .collect();
    old.sort_by(|a, b| a.0.total_cmp(&b.0));
    old.extend(&rows);
    let unshared = Rules::from_toml("[pass_through]\npassed_share = 0\n", "r.toml").unwrap();
    assert_eq!(
        of(&run_with(unshared.clone(), &old), Typology::PassThrough).len(),
        1
    );
    assert!(of(&run_with(unshared, &rent), Typology::PassThrough).is_empty());
}

#[test]
fn a_blocked_party_alerts_at_once_with_the_highest_severity() {
    let mut monitor = Monitor::new(Rules::default());
    let mut names = Names::default();
    let wallet = names.account("bc1qcartel");
    monitor.block(wallet, "ofac-12345");
    let txn = Txn {
        seq: 7,
        at: MONDAY,
        from: names.account("customer-1"),
        to: wallet,
        amount: 1_000_000,
        currency: names.currency("BTC"),
        channel: Channel::Crypto,
        place: None,
        laundering: None,
    };
    let mut alerts = Vec::new();
    monitor.push(&txn, &names, &mut alerts).unwrap();
    assert_eq!(alerts.len(), 1, "alerted before the stream ends");
    assert_eq!(alerts[0].typology, Typology::BlockedParty);
    assert_eq!(alerts[0].severity, interdict_flow::Severity::Critical);
    assert_eq!(alerts[0].accounts, ["bc1qcartel", "customer-1"]);
    assert!(alerts[0].summary.contains("ofac-12345"));
}

#[test]
fn out_of_order_rows_within_tolerance_are_taken_and_beyond_it_refused() {
    let mut monitor = Monitor::new(Rules::default());
    let mut names = Names::default();
    let mut alerts = Vec::new();
    let mut txn = |seq: u64, hours: f64| Txn {
        seq,
        at: MONDAY + (hours * H as f64) as i64,
        from: names.account(&format!("s{seq}")),
        to: names.account("hub"),
        amount: 1_000_000_000,
        currency: names.currency("USD"),
        channel: Wire,
        place: None,
        laundering: None,
    };
    let rows = [txn(1, 10.0), txn(2, 9.5), txn(3, 8.0), txn(4, 11.0)];
    let names = names;
    let results: Vec<Result<(), Refused>> = rows
        .iter()
        .map(|t| monitor.push(t, &names, &mut alerts))
        .collect();
    assert!(results[0].is_ok() && results[1].is_ok() && results[3].is_ok());
    assert_eq!(
        results[2].as_ref().unwrap_err().to_string(),
        "timestamp 2022-09-05T08:00:00Z is 7200 s behind the latest seen, beyond the 3600 s tolerance"
    );
}

#[test]
fn a_fan_in_is_judged_against_the_accounts_usual_activity() {
    // A shop paid by twelve regulars every day for ten days has that many senders as a rule.
    let regulars: Vec<String> = (0..12).map(|i| format!("regular{i}")).collect();
    let mut rows: Vec<Row> = Vec::new();
    for day in 0..10 {
        for (i, r) in regulars.iter().enumerate() {
            rows.push((day as f64 * 24.0 + i as f64 * 0.5, r, "shop", 40.0, Ach, ""));
        }
    }
    // A person paid by one employer every few days is suddenly paid by eight strangers.
    let strangers: Vec<String> = (0..8).map(|i| format!("stranger{i}")).collect();
    for day in [0, 3, 6] {
        rows.push((
            day as f64 * 24.0 + 13.0,
            "employer",
            "person",
            900.0,
            Ach,
            "",
        ));
    }
    for (i, s) in strangers.iter().enumerate() {
        rows.push((8.0 * 24.0 + 14.0 + i as f64, s, "person", 950.0, Wire, ""));
    }
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    let alerts = run(&rows);
    let fans = of(&alerts, Typology::FanIn);
    let keys: Vec<&str> = fans.iter().map(|a| a.accounts[0].as_str()).collect();
    assert_eq!(keys, ["person"], "{alerts:#?}");
    // With both tests off (the ratio and the chance), the shop's first days are fans too.
    let rules = Rules::from_toml("[fan_in]\nabove_usual = 0\nmax_chance = 0\n", "r.toml").unwrap();
    let all = run_with(rules, &rows);
    assert!(
        of(&all, Typology::FanIn)
            .iter()
            .any(|a| a.accounts[0] == "shop")
    );
}

#[test]
fn a_fan_counts_like_payments_by_one_channel_only() {
    let senders: Vec<String> = (0..6).map(|i| format!("s{i}")).collect();
    let fan = |amounts: &[f64], channels: &[Channel]| -> Vec<Row> {
        senders
            .iter()
            .enumerate()
            .map(|(i, s)| {
                (
                    i as f64 * 4.0,
                    s.as_str(),
                    "hub",
                    amounts[i],
                    channels[i],
                    "",
                )
            })
            .collect()
    };
    let wires = [Wire; 6];
    // 900 to 1,260 is within 1.4x of each other: six like payments fire.
    let like = fan(&[900.0, 1_000.0, 1_100.0, 1_200.0, 1_260.0, 950.0], &wires);
    assert_eq!(of(&run(&like), Typology::FanIn).len(), 1);
    // Customers each paying what they owe: no four of them within 1.4x, so no fan of five.
    let unlike = fan(&[50.0, 80.0, 900.0, 2_000.0, 7_000.0, 20_000.0], &wires);
    assert!(of(&run(&unlike), Typology::FanIn).is_empty());
    // Like amounts by different channels are not one fan either (two ACH, four wires).
    let mixed = fan(&[900.0; 6], &[Ach, Ach, Wire, Wire, Wire, Wire]);
    assert!(of(&run(&mixed), Typology::FanIn).is_empty());
    // A wide spread turns the likeness test off.
    let rules = Rules::from_toml("[fan_in]\namount_spread = 1000\n", "r.toml").unwrap();
    assert_eq!(of(&run_with(rules, &unlike), Typology::FanIn).len(), 1);
    // Once the fan alerts, a like payment joins it; a customer's 50 and an ACH do not.
    let mut later = like.clone();
    later.push((30.0, "late-like", "hub", 1_050.0, Wire, ""));
    later.push((31.0, "customer", "hub", 50.0, Wire, ""));
    later.push((32.0, "payroll", "hub", 1_000.0, Ach, ""));
    let fans = run(&later);
    let fan = of(&fans, Typology::FanIn);
    assert_eq!(fan.len(), 1, "{fans:#?}");
    assert!(fan[0].accounts.contains(&"late-like".to_string()));
    assert!(!fan[0].accounts.contains(&"customer".to_string()));
    assert!(!fan[0].accounts.contains(&"payroll".to_string()));
}

#[test]
fn a_fan_in_stands_out_against_the_payments_usually_got_by_its_channel() {
    // A firm paid by cheque by ten customers a day, at all sorts of amounts, for ten days,
    // and by ACH from `ach_a_day` payers a day for seven; then, on day 10, six like ACH
    // payments from strangers within a few hours.
    let firm = |ach_a_day: usize| -> Vec<Row<'static>> {
        let mut rows: Vec<Row> = Vec::new();
        let name = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        for day in 0..10 {
            for c in 0..10 {
                let amount = 80.0 + ((day * 10 + c) * 137 % 2_900) as f64;
                let at = day as f64 * 24.0 + c as f64;
                rows.push((
                    at,
                    name(format!("c{day}-{c}")),
                    "firm",
                    amount,
                    Channel::Cheque,
                    "",
                ));
            }
            // ACH payers stop three days before the fan: it is judged by its channel's
            // usual, not by like payments beside it in the window.
            for p in (0..ach_a_day).filter(|_| day < 7) {
                let at = day as f64 * 24.0 + 12.0 + p as f64 * 0.5;
                rows.push((at, name(format!("p{day}-{p}")), "firm", 3_000.0, Ach, ""));
            }
        }
        for i in 0..6 {
            let at = 10.0 * 24.0 + 9.0 + i as f64;
            rows.push((at, name(format!("stranger{i}")), "firm", 3_100.0, Ach, ""));
        }
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        rows
    };
    // Its cheque takings do not hide an ACH fan where ACH is rare: fires …
    let rare = run(&firm(0));
    let fans = of(&rare, Typology::FanIn);
    assert_eq!(fans.len(), 1, "{rare:#?}");
    assert_eq!(fans[0].accounts.len(), 7, "the firm and six strangers");
    // … but a firm paid by ACH three times a day has about eight in three days as a rule, and
    // six is not twice that (its first days, before it has a usual, are another matter).
    let usual = run(&firm(3));
    let strangers = |a: &&Alert| a.accounts.iter().any(|x| x.starts_with("stranger"));
    assert!(
        !of(&usual, Typology::FanIn).iter().any(strangers),
        "{usual:#?}"
    );
    // The chance test stands on its own: with the ratio off it still weighs the usual.
    let chance_only =
        Rules::from_toml("[fan_in]\nabove_usual = 0\nmax_chance = 0.0001\n", "r.toml").unwrap();
    let judged = run_with(chance_only, &firm(3));
    assert!(
        !of(&judged, Typology::FanIn).iter().any(strangers),
        "{judged:#?}"
    );
    let neither =
        Rules::from_toml("[fan_in]\nabove_usual = 0\nmax_chance = 0\n", "r.toml").unwrap();
    assert!(
        of(&run_with(neither, &firm(3)), Typology::FanIn)
            .iter()
            .any(strangers)
    );
}

#[test]
fn a_gathering_begins_at_a_senders_first_payment_of_it() {
    // One sender pays the same amount twice: the gathering began at the first, so the hub's
    // payment out between the two is part of the scatter.
    let rows: Vec<Row> = vec![
        (0.0, "a", "hub", 1_000.0, Wire, ""),
        (0.5, "hub", "r1", 1_000.0, Wire, ""),
        (1.0, "s1", "hub", 900.0, Wire, ""),
        (2.0, "s2", "hub", 950.0, Wire, ""),
        (3.0, "s3", "hub", 980.0, Wire, ""),
        (4.0, "a", "hub", 1_000.0, Wire, ""),
        (5.0, "hub", "r2", 1_000.0, Wire, ""),
        (6.0, "hub", "r3", 1_000.0, Wire, ""),
        (7.0, "hub", "r4", 800.0, Wire, ""),
    ];
    let alerts = run(&rows);
    let found = of(&alerts, Typology::GatherScatter);
    assert_eq!(found.len(), 1, "{alerts:#?}");
    assert!(found[0].accounts.contains(&"r1".to_string()), "{alerts:#?}");
}

#[test]
fn a_fan_in_must_be_unlikely_as_the_accounts_usual_traffic() {
    // An account paid 300 by ACH once a day, by a different payer each day, for twelve days
    // (three to four in any three days), then on day 13 by `n` strangers within hours.
    let paid = |n: usize| -> Vec<Row<'static>> {
        let name = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        let mut rows: Vec<Row> = (0..12)
            .map(|day| {
                let payer = name(format!("payer{day}"));
                (day as f64 * 24.0 + 10.0, payer, "acct", 300.0, Ach, "")
            })
            .collect();
        for i in 0..n {
            let at = 13.0 * 24.0 + 9.0 + i as f64 * 0.5;
            rows.push((at, name(format!("stranger{i}")), "acct", 1_050.0, Ach, ""));
        }
        rows
    };
    let fans = |rules: Rules, n: usize| of(&run_with(rules, &paid(n)), Typology::FanIn).len();
    // Eight is over twice the usual, but eight or more come by chance one time in 35 to 85.
    assert_eq!(fans(Rules::default(), 8), 0);
    let off = Rules::from_toml("[fan_in]\nmax_chance = 0\n", "r.toml").unwrap();
    assert_eq!(fans(off, 8), 1);
    // Eleven or more come one time in 750 to 3,000: a fan, unless the bar is stricter still.
    assert_eq!(fans(Rules::default(), 11), 1);
    let strict = Rules::from_toml("[fan_in]\nmax_chance = 0.0001\n", "r.toml").unwrap();
    assert_eq!(fans(strict, 11), 0);
}

#[test]
fn a_fan_is_most_of_what_moved_that_way_in_its_window() {
    // Five like wires in, after `others` wires at all sorts of amounts from other payers.
    let hub = |others: &[f64]| -> Vec<Row<'static>> {
        const PAYERS: [&str; 3] = ["p0", "p1", "p2"];
        const SENDERS: [&str; 5] = ["s0", "s1", "s2", "s3", "s4"];
        let mut rows: Vec<Row> = Vec::new();
        for (i, amount) in others.iter().enumerate() {
            rows.push((i as f64, PAYERS[i], "hub", *amount, Wire, ""));
        }
        for (i, s) in SENDERS.iter().enumerate() {
            rows.push((
                10.0 + i as f64 * 4.0,
                s,
                "hub",
                900.0 + i as f64 * 20.0,
                Wire,
                "",
            ));
        }
        rows
    };
    // Five of six (0.83) is a fan; five of eight (0.625) is under three quarters: a hub paid
    // at all sorts of amounts, which holds a few like ones by chance.
    let mostly = hub(&[7_000.0]);
    assert_eq!(of(&run(&mostly), Typology::FanIn).len(), 1);
    let busy = hub(&[50.0, 3_000.0, 7_000.0]);
    assert!(of(&run(&busy), Typology::FanIn).is_empty());
    // At the edge: five of six and two thirds. A share of 0 turns the test off.
    let two_thirds = Rules::from_toml("[fan_in]\nlike_share = 0.8333\n", "r.toml").unwrap();
    assert_eq!(of(&run_with(two_thirds, &mostly), Typology::FanIn).len(), 1);
    let above = Rules::from_toml("[fan_in]\nlike_share = 0.84\n", "r.toml").unwrap();
    assert!(of(&run_with(above, &mostly), Typology::FanIn).is_empty());
    let off = Rules::from_toml("[fan_in]\nlike_share = 0\n", "r.toml").unwrap();
    assert_eq!(of(&run_with(off, &busy), Typology::FanIn).len(), 1);
    // Payments by another channel are not in the share: a hub's cheques leave its wires a fan.
    let cheques: Vec<Row> = busy
        .iter()
        .map(|r| match r.1.starts_with('p') {
            true => (r.0, r.1, r.2, r.3, Channel::Cheque, r.5),
            false => *r,
        })
        .collect();
    assert_eq!(of(&run(&cheques), Typology::FanIn).len(), 1);
    // The same holds for a fan-out.
    let out: Vec<Row> = busy
        .iter()
        .map(|r| (r.0, r.2, r.1, r.3 + 500.0, r.4, r.5))
        .collect();
    assert!(of(&run(&out), Typology::FanOut).is_empty());
    let out_mostly: Vec<Row> = mostly
        .iter()
        .map(|r| (r.0, r.2, r.1, r.3 + 500.0, r.4, r.5))
        .collect();
    assert_eq!(of(&run(&out_mostly), Typology::FanOut).len(), 1);
}

#[test]
fn structuring_is_judged_against_the_accounts_usual_cash() {
    // Three of a shop's staff bank its takings every day; on day 9 three people pay cash
    // into the account of a person who never takes any, together past the threshold.
    let mut rows: Vec<Row> = Vec::new();
    let staff = ["clerk1", "clerk2", "clerk3"];
    for day in 0..10 {
        for (i, amount) in [4_000.0, 3_500.0, 3_000.0].into_iter().enumerate() {
            rows.push((
                day as f64 * 24.0 + 9.0 + i as f64,
                staff[i],
                "shop",
                amount,
                Cash,
                "b1",
            ));
        }
    }
    for (i, d) in ["d1", "d2", "d3"].into_iter().enumerate() {
        rows.push((
            9.0 * 24.0 + 10.5 + i as f64,
            d,
            "person",
            3_500.0,
            Cash,
            "b2",
        ));
    }
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    let alerts = run(&rows);
    let keys: Vec<&str> = of(&alerts, Typology::Structuring)
        .iter()
        .map(|a| a.accounts[0].as_str())
        .collect();
    assert_eq!(keys, ["person"], "{alerts:#?}");
    // With the test off, the shop's days are alerts too.
    let rules = Rules::from_toml("[structuring]\nabove_usual = 0\n", "r.toml").unwrap();
    let all = run_with(rules, &rows);
    let shop = of(&all, Typology::Structuring);
    assert!(shop.iter().any(|a| a.accounts[0] == "shop"), "{all:#?}");
}

#[test]
fn pass_through_goes_by_wire_or_transfer_not_cheque() {
    let rows: Vec<Row> = vec![
        (1.0, "x", "mule", 5_000.0, Ach, ""),
        (3.0, "mule", "y", 4_800.0, Ach, ""),
        (30.0, "x2", "mule", 7_000.0, Wire, ""),
        (40.0, "mule", "y2", 6_400.0, Wire, ""),
    ];
    assert_eq!(of(&run(&rows), Typology::PassThrough).len(), 1);
    let mut cheques = rows.clone();
    cheques[1].4 = Channel::Cheque;
    cheques[3].4 = Channel::Cheque;
    assert!(of(&run(&cheques), Typology::PassThrough).is_empty());
    // Money in by ACH and out by wire is not passed on the way it came, unless the rules
    // allow it.
    let mut switched = rows.clone();
    switched[1].4 = Wire;
    assert!(of(&run(&switched), Typology::PassThrough).is_empty());
    let rules = Rules::from_toml("[pass_through]\nsame_channel = false\n", "r.toml").unwrap();
    assert_eq!(
        of(&run_with(rules, &switched), Typology::PassThrough).len(),
        1
    );
}

#[test]
fn cycles_keep_the_amount_and_do_not_run_through_busy_accounts() {
    let ring: Vec<Row> = vec![
        (100.0, "a", "b", 10_000.0, Wire, ""),
        (104.0, "b", "c", 9_800.0, Wire, ""),
        (108.0, "c", "d", 9_600.0, Wire, ""),
        (112.0, "d", "a", 9_400.0, Wire, ""),
    ];
    assert_eq!(of(&run(&ring), Typology::Cycle).len(), 1);
    // A hop that grows the money, or loses more than a tenth, is no ring.
    let mut grows = ring.clone();
    grows[2].3 = 9_900.0;
    assert!(of(&run(&grows), Typology::Cycle).is_empty());
    let mut loses = ring.clone();
    loses[2].3 = 8_700.0;
    assert!(of(&run(&loses), Typology::Cycle).is_empty());
    // c pays seventy suppliers small sums in the days before: a business, but the ring's
    // money is not lost among its own payments, so the search goes through it …
    let suppliers: Vec<String> = (0..70).map(|i| format!("supplier{i}")).collect();
    let mut firm: Vec<Row> = suppliers
        .iter()
        .enumerate()
        .map(|(i, s)| (i as f64, "c", s.as_str(), 100.0 + i as f64, Ach, ""))
        .collect();
    firm.extend(ring.iter().copied());
    assert_eq!(of(&run(&firm), Typology::Cycle).len(), 1);
    // … unless it also pays on sums like the ring's, nine times after the money came in:
    // then which of them is the ring's cannot be told, and the search skips it.
    let mut busy = firm.clone();
    for (k, s) in suppliers.iter().take(9).enumerate() {
        busy.push((104.5 + 0.3 * k as f64, "c", s.as_str(), 9_500.0, Wire, ""));
    }
    busy.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert!(of(&run(&busy), Typology::Cycle).is_empty());
    // Its like sums by cheque, though, are no wire ring's next hop: the search goes on.
    let cheques: Vec<Row> = busy
        .iter()
        .map(|r| match r.3 == 9_500.0 {
            true => (r.0, r.1, r.2, r.3, Channel::Cheque, r.5),
            false => *r,
        })
        .collect();
    assert_eq!(of(&run(&cheques), Typology::Cycle).len(), 1);
    // A firm paying more than 512 in the horizon is not entered at all.
    let mass: Vec<String> = (0..520).map(|i| format!("payee{i}")).collect();
    let mut mass_rows: Vec<Row> = mass
        .iter()
        .enumerate()
        .map(|(i, s)| (i as f64 * 0.15, "c", s.as_str(), 100.0 + i as f64, Ach, ""))
        .collect();
    mass_rows.extend(ring.iter().copied());
    assert!(of(&run(&mass_rows), Typology::Cycle).is_empty());
}

#[test]
fn a_ring_goes_round_one_way() {
    let ring: Vec<Row> = vec![
        (100.0, "a", "b", 10_000.0, Wire, ""),
        (104.0, "b", "c", 9_800.0, Wire, ""),
        (108.0, "c", "d", 9_600.0, Wire, ""),
        (112.0, "d", "a", 9_400.0, Wire, ""),
    ];
    // A hop by another channel than the closing one is no ring's …
    let mut cheque = ring.clone();
    cheque[1].4 = Channel::Cheque;
    assert!(of(&run(&cheque), Typology::Cycle).is_empty());
    // … and a cheque repaid by wire is two people settling up, not money sent round.
    let settled: Vec<Row> = vec![
        (100.0, "a", "b", 1_500.0, Channel::Cheque, ""),
        (130.0, "b", "a", 1_450.0, Wire, ""),
    ];
    assert!(of(&run(&settled), Typology::Cycle).is_empty());
    let mut same = settled.clone();
    same[0].4 = Wire;
    assert_eq!(of(&run(&same), Typology::Cycle).len(), 1);
    // With `same_channel` off, a ring may change channel.
    let any = Rules::from_toml("[cycle]\nsame_channel = false\n", "r.toml").unwrap();
    assert_eq!(
        of(&run_with(any.clone(), &cheque), Typology::Cycle).len(),
        1
    );
    assert_eq!(of(&run_with(any, &settled), Typology::Cycle).len(), 1);
}

#[test]
fn one_persons_cash_at_one_place_is_not_structuring() {
    // The CTR adds up one person's cash at one place in a day: three deposits by the holder
    // at one branch evade nothing. The same through two branches, or by two people, do.
    let own = |second_place: &'static str, second: &'static str| -> Vec<Row> {
        vec![
            (9.0, "holder", "acct", 4_000.0, Cash, "b1"),
            (11.0, second, "acct", 3_500.0, Cash, second_place),
            (15.0, "holder", "acct", 3_000.0, Cash, "b1"),
        ]
    };
    assert!(of(&run(&own("b1", "holder")), Typology::Structuring).is_empty());
    assert_eq!(
        of(&run(&own("b2", "holder")), Typology::Structuring).len(),
        1
    );
    assert_eq!(
        of(&run(&own("b1", "cousin")), Typology::Structuring).len(),
        1
    );
}

#[test]
fn deposits_just_under_the_threshold_stand_even_where_cash_is_usual() {
    // A shop's staff bank cash every day; on days 7 to 9 three people each pay in just under
    // 10,000 through two branches. The day rule is judged against the shop's usual cash and
    // would be dropped; the just-below rule is not, and the alert stands.
    let staff = ["clerk1", "clerk2", "clerk3"];
    let mut rows: Vec<Row> = Vec::new();
    for day in 0..10 {
        for (i, amount) in [4_000.0, 3_500.0, 3_000.0].into_iter().enumerate() {
            let at = day as f64 * 24.0 + 9.0 + i as f64;
            rows.push((at, staff[i], "shop", amount, Cash, "b1"));
        }
    }
    for (i, (d, place)) in [("d1", "b1"), ("d2", "b2"), ("d3", "b1")]
        .into_iter()
        .enumerate()
    {
        rows.push((
            (7 + i) as f64 * 24.0 + 15.0,
            d,
            "shop",
            9_600.0,
            Cash,
            place,
        ));
    }
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    let alerts = run(&rows);
    // On day 9 the day rule fires first (the clerks' deposits), the just-below deposits join
    // that episode, and it stands with all of them.
    let near: Vec<&Alert> = of(&alerts, Typology::Structuring)
        .into_iter()
        .filter(|a| {
            ["d1", "d2", "d3"]
                .iter()
                .all(|d| a.accounts.contains(&d.to_string()))
        })
        .collect();
    assert_eq!(near.len(), 1, "{alerts:#?}");
    assert_eq!(near[0].accounts[0], "shop");
}

#[test]
fn a_days_small_takings_crossing_the_threshold_are_not_structuring() {
    // Three depositors through two branches, over 10,000 in a day: only deposits of a
    // quarter of the threshold or more count, as a structurer's pieces are.
    let day = |first: f64| -> Vec<Row> {
        vec![
            (9.0, "d1", "acct", first, Cash, "b1"),
            (11.0, "d2", "acct", 4_000.0, Cash, "b2"),
            (15.0, "d3", "acct", 4_000.0, Cash, "b1"),
            (16.0, "d4", "acct", 1_800.0, Cash, "b2"),
        ]
    };
    assert!(of(&run(&day(2_499.99)), Typology::Structuring).is_empty());
    let hits = run(&day(2_500.0));
    let hits = of(&hits, Typology::Structuring);
    assert_eq!(hits.len(), 1);
    // The small deposit is no part of the evidence.
    assert_eq!(hits[0].transactions, ["line:1", "line:2", "line:3"]);
}

#[test]
fn a_busy_cash_business_makes_a_few_deposits_just_below_by_chance() {
    // Twenty deposits a day by the shop's clerks; three of its deposits in three days come
    // in just under 10,000 through two branches: a fifth of its cash at least would be the
    // rule, three of some fifty is chance. With four deposits a day they are a fifth.
    let shop = |per_day: usize| -> Vec<Row> {
        let mut rows: Vec<Row> = Vec::new();
        for day in 0..7 {
            for i in 0..per_day {
                let at = day as f64 * 24.0 + 8.0 + i as f64 * 0.5;
                rows.push((at, "clerk", "shop", 400.0, Cash, "b1"));
            }
        }
        for (d, (who, place)) in [("d1", "b1"), ("d2", "b2"), ("d3", "b1")]
            .into_iter()
            .enumerate()
        {
            let at = (4 + d) as f64 * 24.0 + 7.0;
            rows.push((at, who, "shop", 9_600.0, Cash, place));
        }
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        rows
    };
    let busy = run(&shop(20));
    assert!(of(&busy, Typology::Structuring).is_empty(), "{busy:#?}");
    let quiet = run(&shop(4));
    let hits = of(&quiet, Typology::Structuring);
    assert_eq!(hits.len(), 1, "{quiet:#?}");
    assert!(
        hits[0].summary.contains("just under"),
        "{}",
        hits[0].summary
    );
}

#[test]
fn a_fan_out_is_judged_against_payments_other_than_card_purchases() {
    // A card holder buys a dozen things a day for eight days, pays in cash three times a day
    // and two bills by cheque, then wires like sums to seven strangers within a day. Its purchases are not the
    // payments a fan of wires stands out against; its cash paid in is no payment out.
    let shops: Vec<String> = (0..12).map(|i| format!("shop{i}")).collect();
    let strangers: Vec<String> = (0..7).map(|i| format!("stranger{i}")).collect();
    let mut rows: Vec<Row> = Vec::new();
    for day in 0..8 {
        for (i, shop) in shops.iter().enumerate() {
            let at = day as f64 * 24.0 + 8.0 + i as f64;
            rows.push((at, "holder", shop.as_str(), 30.0, Card, ""));
        }
        for hour in [19.0, 20.0, 21.0] {
            rows.push((
                day as f64 * 24.0 + hour,
                "holder",
                "holder",
                200.0,
                Cash,
                "b1",
            ));
        }
    }
    rows.push((30.0, "holder", "utility", 120.0, Channel::Cheque, ""));
    rows.push((100.0, "holder", "landlord", 1_100.0, Channel::Cheque, ""));
    for (i, s) in strangers.iter().enumerate() {
        rows.push((
            8.0 * 24.0 + 9.0 + i as f64,
            "holder",
            s.as_str(),
            6_000.0,
            Wire,
            "",
        ));
    }
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    let alerts = run(&rows);
    let fans = of(&alerts, Typology::FanOut);
    assert_eq!(fans.len(), 1, "{alerts:#?}");
    assert_eq!(fans[0].accounts[0], "holder");
    assert_eq!(fans[0].accounts.len(), 8);
}

#[test]
fn a_person_paying_shops_small_sums_is_no_fan_out() {
    // Five shops paid like sums by cheque within a day: under fan_out.min_amount (500) that
    // is shopping; the same five payments of 1,000 are a fan.
    let shops: Vec<String> = (0..5).map(|i| format!("shop{i}")).collect();
    let pay = |amount: f64| -> Vec<Row> {
        shops
            .iter()
            .enumerate()
            .map(|(i, s)| {
                (
                    10.0 + i as f64,
                    "person",
                    s.as_str(),
                    amount,
                    Channel::Cheque,
                    "",
                )
            })
            .collect()
    };
    assert!(of(&run(&pay(499.99)), Typology::FanOut).is_empty());
    assert_eq!(of(&run(&pay(500.0)), Typology::FanOut).len(), 1);
    // A fan-in counts small sums: many payers each sending a little to one collector.
    let payers: Vec<String> = (0..5).map(|i| format!("payer{i}")).collect();
    let collect: Vec<Row> = payers
        .iter()
        .enumerate()
        .map(|(i, p)| (10.0 + i as f64, p.as_str(), "collector", 200.0, Ach, ""))
        .collect();
    assert_eq!(of(&run(&collect), Typology::FanIn).len(), 1);
}

#[test]
fn a_funnel_names_where_the_cash_went_not_the_accounts_everyday_payees() {
    // Six depositors away from home pay in 12,000; the account pays three shops by cheque
    // as it always does and wires 10,000 on. The alert names the depositors and the wire's
    // recipient; the shops are no part of it.
    let mut rows: Vec<Row> = (0..6)
        .map(|i| {
            let depositor = ["p0", "p1", "p2", "p3", "p4", "p5"][i];
            let place = ["far1", "far2"][i % 2];
            (i as f64 * 10.0, depositor, "funnel", 2_000.0, Cash, place)
        })
        .collect();
    for (i, shop) in ["grocer", "garage", "chemist"].into_iter().enumerate() {
        rows.push((
            5.0 + i as f64 * 20.0,
            "funnel",
            shop,
            90.0,
            Channel::Cheque,
            "",
        ));
    }
    rows.push((70.0, "funnel", "boss", 10_000.0, Wire, ""));
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    let alerts = run(&rows);
    let funnels = of(&alerts, Typology::Funnel);
    assert_eq!(funnels.len(), 1, "{alerts:#?}");
    let mut named = funnels[0].accounts.clone();
    named.sort();
    assert_eq!(
        named,
        ["boss", "funnel", "p0", "p1", "p2", "p3", "p4", "p5"],
        "{:#?}",
        funnels[0]
    );
    assert_eq!(funnels[0].transactions.len(), 7);
    // Forty payees beside the wire: the account's takings and spending are a business's,
    // though the alert would name only the wire's recipient.
    let payees: Vec<String> = (0..40).map(|i| format!("payee{i}")).collect();
    let mut busy = rows.clone();
    for (i, payee) in payees.iter().enumerate() {
        busy.push((
            60.0 + i as f64 * 0.1,
            "funnel",
            payee,
            50.0,
            Channel::Cheque,
            "",
        ));
    }
    busy.sort_by(|a, b| a.0.total_cmp(&b.0));
    let busy = run(&busy);
    assert!(of(&busy, Typology::Funnel).is_empty(), "{busy:#?}");
}

#[test]
fn a_gather_scatter_names_the_parts_the_money_was_cut_into() {
    // Four like wires gathered, four parts wired on, and beside them two small wires of the
    // hub's own (a gym, a grocer): the scatter is the parts, of comparable size.
    let mut rows: Vec<Row> = ["i1", "i2", "i3", "i4"]
        .iter()
        .map(|i| (1.0, *i, "hub", 1_000.0, Wire, ""))
        .collect();
    rows.push((5.0, "hub", "gym", 60.0, Wire, ""));
    rows.extend(["o1", "o2", "o3", "o4"].iter().enumerate().map(|(k, o)| {
        (
            10.0 + k as f64,
            "hub",
            *o,
            [950.0, 700.0, 1_200.0, 900.0][k],
            Wire,
            "",
        )
    }));
    rows.push((20.0, "hub", "grocer", 40.0, Wire, ""));
    let alerts = run(&rows);
    let gs = of(&alerts, Typology::GatherScatter);
    assert_eq!(gs.len(), 1, "{alerts:#?}");
    let mut named = gs[0].accounts.clone();
    named.sort();
    assert_eq!(
        named,
        ["hub", "i1", "i2", "i3", "i4", "o1", "o2", "o3", "o4"],
        "{:#?}",
        gs[0]
    );
    assert_eq!(gs[0].transactions.len(), 8);
}

#[test]
fn a_payment_out_larger_than_what_had_been_gathered_is_none_of_the_parts() {
    // Four like wires gathered an hour apart, and the hub's own 2,100 to a supplier once two
    // of them (2,000) were in: more than it held of the gathering then, so its own money.
    let rows = |supplier_at: f64| {
        let mut rows: Vec<Row> = ["i1", "i2", "i3", "i4"]
            .iter()
            .enumerate()
            .map(|(k, i)| (1.0 + k as f64, *i, "hub", 1_000.0, Wire, ""))
            .collect();
        rows.push((supplier_at, "hub", "supplier", 2_100.0, Wire, ""));
        rows.extend(["o1", "o2", "o3", "o4"].iter().enumerate().map(|(k, o)| {
            let part = [520.0, 500.0, 560.0, 500.0][k];
            (10.0 + k as f64, "hub", *o, part, Wire, "")
        }));
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        rows
    };
    let alerts = run(&rows(2.5));
    let gs = of(&alerts, Typology::GatherScatter);
    assert_eq!(gs.len(), 1, "{alerts:#?}");
    assert!(
        !gs[0].accounts.iter().any(|a| a == "supplier"),
        "{:#?}",
        gs[0]
    );
    // Paid once all 4,000 were in, it may be a part (4,180 out of 4,000 in is within 1.05),
    // and it carries more than half alone: the scatter is then one payment, no cut of the
    // money.
    assert!(of(&run(&rows(4.5)), Typology::GatherScatter).is_empty());
}

#[test]
fn a_split_on_the_streams_first_days_waits_to_be_judged() {
    // A firm pays its supplier three times on the first morning, as it does every day for
    // two weeks (twelve payments out a day): once the stream tells, that is its routine.
    // A person who pays one account three times on the first morning and otherwise twice a
    // week has split a payment.
    let suppliers: Vec<String> = (0..9).map(|i| format!("supplier{i}")).collect();
    let mut rows: Vec<Row> = Vec::new();
    for day in 0..14 {
        let at = day as f64 * 24.0;
        for k in 0..3 {
            rows.push((at + 8.0 + k as f64, "firm", "mill", 2_000.0, Wire, ""));
        }
        for (k, s) in suppliers.iter().enumerate() {
            rows.push((at + 12.0 + k as f64, "firm", s.as_str(), 700.0, Wire, ""));
        }
        if day % 3 == 0 {
            rows.push((at + 18.0, "person", "grocer", 80.0, Ach, ""));
        }
    }
    for k in 0..3 {
        rows.push((9.0 + k as f64, "person", "friend", 1_500.0, Wire, ""));
    }
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    let alerts = run(&rows);
    let splits: Vec<&str> = of(&alerts, Typology::Split)
        .iter()
        .map(|a| a.accounts[0].as_str())
        .collect();
    assert_eq!(splits, ["person"], "{alerts:#?}");
}

#[test]
fn a_structuring_day_is_judged_by_all_its_deposits_against_the_usual() {
    // A person pays in a little cash now and then (twelve deposits in ten days). On day ten
    // three people pay in 3,500 each beside the person's own 200: the day's four deposits
    // stand out against the person's usual, as its three large pieces alone (weighed
    // against all the usual deposits, small ones included) would not.
    let mut rows: Vec<Row> = [0, 1, 1, 2, 3, 4, 4, 5, 6, 7, 8, 8]
        .iter()
        .enumerate()
        .map(|(i, day)| {
            (
                *day as f64 * 24.0 + 9.0 + (i % 2) as f64 * 5.0,
                "person",
                "person",
                200.0,
                Cash,
                "b1",
            )
        })
        .collect();
    rows.push((240.0 + 8.0, "person", "person", 200.0, Cash, "b1"));
    for (i, (d, place)) in [("d1", "b1"), ("d2", "b2"), ("d3", "b1")]
        .into_iter()
        .enumerate()
    {
        rows.push((240.0 + 10.0 + i as f64, d, "person", 3_500.0, Cash, place));
    }
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    let alerts = run(&rows);
    let hits = of(&alerts, Typology::Structuring);
    assert_eq!(hits.len(), 1, "{alerts:#?}");
    assert_eq!(hits[0].transactions.len(), 3);
}

#[test]
fn a_receiver_paying_many_new_accounts_passes_no_layer_on() {
    // Each of the layer's receivers sends 95% of what it got on to `payees` new accounts,
    // two of them paid by the next receiver too, in parts each 1.5 times the last (no two
    // alike, so no layer of their own): up to stack.max_payees (8) that is a layer passing
    // its money on; a receiver paying nine new accounts is busy with its own.
    let spread = |payees: usize| -> Vec<Row<'static>> {
        let mut rows = stack_passed_on(3_000.0, [0.95, 0.95, 0.95], ["c1", "c2", "c3"]);
        rows.truncate(6);
        let names: [&'static str; 3] = ["c1", "c2", "c3"];
        let weights: Vec<f64> = (0..payees).map(|k| 1.5f64.powi(k as i32)).collect();
        let total: f64 = weights.iter().sum();
        for (j, b) in ["b1", "b2", "b3"].into_iter().enumerate() {
            for (k, w) in weights.iter().enumerate() {
                let part = 6_000.0 * 0.95 * w / total;
                let to: &'static str = match k {
                    0 => names[j],
                    1 => names[(j + 1) % 3],
                    _ => Box::leak(format!("e{j}-{k}").into_boxed_str()),
                };
                rows.push((40.0 + 3.0 * j as f64 + k as f64 * 0.1, b, to, part, Ach, ""));
            }
        }
        rows
    };
    assert_eq!(of(&run(&spread(8)), Typology::Stack).len(), 1);
    let busy = run(&spread(9));
    assert!(of(&busy, Typology::Stack).is_empty(), "{busy:#?}");
}

#[test]
fn a_payment_under_the_fan_outs_floor_joins_no_open_fan() {
    // Five like payments of 550 make a fan-out; a sixth of 450 to a new payee, within the
    // fan's band of likeness but under fan_out.min_amount (500), is no part of it.
    let mut rows: Vec<Row> = ["r1", "r2", "r3", "r4", "r5"]
        .iter()
        .enumerate()
        .map(|(i, r)| (1.0 + i as f64, "payer", *r, 550.0, Wire, ""))
        .collect();
    rows.push((8.0, "payer", "r6", 450.0, Wire, ""));
    let alerts = run(&rows);
    let fans = of(&alerts, Typology::FanOut);
    assert_eq!(fans.len(), 1, "{alerts:#?}");
    assert!(
        !fans[0].accounts.contains(&"r6".to_string()),
        "{:#?}",
        fans[0]
    );
    assert_eq!(fans[0].transactions.len(), 5);
}
