//! The 50% rule at registry scale: generates a synthetic registry, builds the graph, derives every
//! company's status a few times, asks for the exposure of random companies, and reports times and
//! memory against the targets.
//!
//! ```text
//! cargo run --release -p interdict-graph --example scale -- --companies 1000000 --seed 7
//! ```
//!
//! Options: `--companies N` (1,000,000), `--seed S` (7), `--listed K` fake designated ids
//! `sim-listed-<n>` (500), `--runs R` derivations (5), `--queries Q` exposure queries (10,000),
//! `--depth D` (3), `--csv DIR` to write `ownership.csv`, `listed.csv`, `blocked.csv` (the ids
//! blocked by ownership) and `interdict.tsv` (the figures), for `bench/graph/run`; `--registry`
//! only times `simulate::registry` (the registry held whole) and reports its memory.

use std::collections::VecDeque;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use interdict_graph::simulate::{self, Record, RegistrySpec};
use interdict_graph::{Basis, Graph, GraphBuilder, LinkKind, Options};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

struct Args {
    companies: usize,
    seed: u64,
    listed: usize,
    runs: usize,
    queries: usize,
    depth: usize,
    csv: Option<PathBuf>,
    registry: bool,
}

fn args() -> Args {
    let mut args = Args {
        companies: 1_000_000,
        seed: 7,
        listed: 500,
        runs: 5,
        queries: 10_000,
        depth: 3,
        csv: None,
        registry: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .unwrap_or_else(|| die(&format!("{flag} needs a value")))
        };
        let number = |v: String| -> usize {
            v.replace('_', "")
                .parse()
                .unwrap_or_else(|_| die(&format!("{flag}: not a number: {v}")))
        };
        match flag.as_str() {
            "--companies" => args.companies = number(value()),
            "--seed" => args.seed = number(value()) as u64,
            "--listed" => args.listed = number(value()),
            "--runs" => args.runs = number(value()).max(1),
            "--queries" => args.queries = number(value()),
            "--depth" => args.depth = number(value()),
            "--csv" => args.csv = Some(value().into()),
            "--registry" => args.registry = true,
            "-h" | "--help" => {
                println!(
                    "scale [--companies N] [--seed S] [--listed K] [--runs R] [--queries Q] \
                     [--depth D] [--csv DIR] [--registry]"
                );
                std::process::exit(0);
            }
            other => die(&format!("unknown argument {other}")),
        }
    }
    args
}

fn die(message: &str) -> ! {
    eprintln!("scale: {message}");
    std::process::exit(2)
}

/// VmRSS and VmHWM in bytes, from /proc/self/status (zero where there is none).
fn memory() -> (u64, u64) {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn human_ms(v: f64) -> String {
    if v >= 1_000.0 {
        format!("{:.2} s", v / 1e3)
    } else if v >= 1.0 {
        format!("{v:.1} ms")
    } else {
        format!("{:.0} µs", v * 1e3)
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.0} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

fn main() {
    let args = args();
    let spec = RegistrySpec {
        companies: args.companies,
        seed: args.seed,
        listed: (0..args.listed)
            .map(|n| format!("sim-listed-{n}"))
            .collect(),
        ..RegistrySpec::default()
    };

    if args.registry {
        // The registry held whole, as `simulate::registry` returns it.
        let before = memory();
        let started = Instant::now();
        let registry = simulate::registry(&spec);
        let took = started.elapsed();
        let after = memory();
        println!(
            "simulate::registry: {} companies, {} links in {}; VmRSS {} (+{}), VmHWM {}",
            thousands(registry.companies.len()),
            thousands(registry.links.len()),
            human_ms(ms(took)),
            mib(after.0),
            mib(after.0.saturating_sub(before.0)),
            mib(after.1)
        );
        return;
    }

    // Generation alone, to tell its cost from the graph's.
    let started = Instant::now();
    let mut kinds = [0usize; 7];
    let mut companies = 0;
    for record in simulate::stream(&spec) {
        match record {
            Record::Company(_) => companies += 1,
            Record::Link(l) => kinds[l.kind as usize] += 1,
        }
    }
    let generate = started.elapsed();
    let links: usize = kinds.iter().sum();

    // The graph, fed as the registry is generated (the registry itself is never held whole).
    let started = Instant::now();
    let mut builder = GraphBuilder::new();
    for record in simulate::stream(&spec) {
        if let Record::Link(l) = record {
            builder.add_link(l).expect("generated links are valid");
        }
    }
    let load = started.elapsed();
    let started = Instant::now();
    let (graph, warnings) = builder.build();
    let layout = started.elapsed();
    let after_build = memory();

    // Derivation from scratch, several times.
    let options = Options::default();
    let listed = || spec.listed.iter().map(String::as_str);
    let mut derive_ms = Vec::new();
    let mut derivation = None;
    for _ in 0..args.runs {
        let started = Instant::now();
        let d = graph.derive(listed(), &options);
        derive_ms.push(ms(started.elapsed()));
        derivation = Some(d);
    }
    let derivation = derivation.expect("at least one run");
    derive_ms.sort_by(f64::total_cmp);
    let derive_min = derive_ms[0];
    let derive_median = derive_ms[derive_ms.len() / 2];

    let listed_in_graph = derivation
        .basis
        .iter()
        .filter(|b| **b == Basis::Listed)
        .count();
    let by_ownership: Vec<u32> = derivation.derived().collect();
    let distance = distances(&graph, &derivation);
    let direct = by_ownership
        .iter()
        .filter(|&&n| distance[n as usize] == 1)
        .count();
    let deepest = by_ownership
        .iter()
        .map(|&n| distance[n as usize])
        .max()
        .unwrap_or(0);

    // Exposure of random companies, then of blocked ones (which have paths to list).
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed ^ 0x5ca1e);
    let random: Vec<u32> = (0..args.queries)
        .filter_map(|_| graph.node(&format!("sim-c-{}", rng.random_range(0..companies))))
        .collect();
    let blocked: Vec<u32> = by_ownership.iter().copied().take(args.queries).collect();
    let exposure = |nodes: &[u32]| {
        let mut times = Vec::with_capacity(nodes.len());
        let mut paths = 0;
        for &node in nodes {
            let started = Instant::now();
            let e = graph.exposure(node, &derivation, &options, args.depth);
            times.push(ms(started.elapsed()));
            paths += e.paths.len() + e.signals.len();
        }
        times.sort_by(f64::total_cmp);
        (times, paths)
    };
    let (random_ms, random_paths) = exposure(&random);
    let (blocked_ms, blocked_paths) = exposure(&blocked);
    let end = memory();

    // The table.
    let kind_names = [
        "ownership",
        "control",
        "directorship",
        "family",
        "associate",
        "membership",
        "unknown",
    ];
    let breakdown: Vec<String> = kinds
        .iter()
        .zip(kind_names)
        .filter(|(n, _)| **n > 0)
        .map(|(n, name)| format!("{name} {}", thousands(*n)))
        .collect();
    println!(
        "interdict-graph scale: {} companies, seed {}, {} listed ids, one thread",
        thousands(companies),
        args.seed,
        args.listed
    );
    println!(
        "  graph: {} parties, {} links ({:.2}/company: {}), {} warnings",
        thousands(graph.len()),
        thousands(links),
        links as f64 / companies.max(1) as f64,
        breakdown.join(", "),
        thousands(warnings.len())
    );
    println!(
        "  blocked: {} listed in graph, {} by ownership ({} directly, {} two or more links away, \
         deepest {})",
        thousands(listed_in_graph),
        thousands(by_ownership.len()),
        thousands(direct),
        thousands(by_ownership.len() - direct),
        deepest
    );
    println!();
    let row = |what: &str, value: String, target: &str| {
        println!("  {what:<36} {value:>26}  {target}");
    };
    row("step", "measured".into(), "target");
    row("generate (stream only)", human_ms(ms(generate)), "");
    row("generate + add_link", human_ms(ms(load)), "");
    row("build (layout, checks)", human_ms(ms(layout)), "");
    row(
        &format!("derive, min / median of {}", args.runs),
        format!("{} / {}", human_ms(derive_min), human_ms(derive_median)),
        &format!("<= 2 s: {}", verdict(derive_median <= 2_000.0)),
    );
    let p99 = percentile(&random_ms, 0.99);
    row(
        &format!(
            "exposure d{} random x{} p50/p99/max",
            args.depth,
            random_ms.len()
        ),
        format!(
            "{} / {} / {}",
            human_ms(percentile(&random_ms, 0.5)),
            human_ms(p99),
            human_ms(percentile(&random_ms, 1.0))
        ),
        &format!("p99 <= 10 ms: {}", verdict(p99 <= 10.0)),
    );
    let blocked_p99 = percentile(&blocked_ms, 0.99);
    row(
        &format!(
            "exposure d{} blocked x{} p50/p99/max",
            args.depth,
            blocked_ms.len()
        ),
        format!(
            "{} / {} / {}",
            human_ms(percentile(&blocked_ms, 0.5)),
            human_ms(blocked_p99),
            human_ms(percentile(&blocked_ms, 1.0))
        ),
        &format!("p99 <= 10 ms: {}", verdict(blocked_p99 <= 10.0)),
    );
    row(
        "memory after build, VmRSS / VmHWM",
        format!("{} / {}", mib(after_build.0), mib(after_build.1)),
        "",
    );
    row(
        "memory at end, VmRSS / VmHWM",
        format!("{} / {}", mib(end.0), mib(end.1)),
        &format!(
            "<= 1.5 GB: {}",
            verdict(end.1 <= 1_500_000_000 && after_build.1 <= 1_500_000_000)
        ),
    );
    println!(
        "  (paths and signals found: {} for the random companies, {} for the blocked ones)",
        thousands(random_paths),
        thousands(blocked_paths)
    );

    if let Some(dir) = &args.csv {
        let started = Instant::now();
        write_csv(dir, &spec).unwrap_or_else(|e| die(&format!("{}: {e}", dir.display())));
        let mut out = BufWriter::new(
            File::create(dir.join("blocked.csv"))
                .unwrap_or_else(|e| die(&format!("{}: {e}", dir.display()))),
        );
        writeln!(out, "id").expect("write blocked.csv");
        for &n in &by_ownership {
            writeln!(out, "{}", graph.id(n)).expect("write blocked.csv");
        }
        out.flush().expect("write blocked.csv");
        let mut tsv = BufWriter::new(
            File::create(dir.join("interdict.tsv"))
                .unwrap_or_else(|e| die(&format!("{}: {e}", dir.display()))),
        );
        let figures: [(&str, String); 9] = [
            ("companies", companies.to_string()),
            ("links", links.to_string()),
            (
                "ownership_links",
                kinds[LinkKind::Ownership as usize].to_string(),
            ),
            ("listed_in_graph", listed_in_graph.to_string()),
            ("blocked_by_ownership", by_ownership.len().to_string()),
            ("derive_min_ms", format!("{derive_min:.3}")),
            ("derive_median_ms", format!("{derive_median:.3}")),
            ("load_ms", format!("{:.1}", ms(load + layout))),
            ("vmhwm_bytes", end.1.max(after_build.1).to_string()),
        ];
        for (key, value) in figures {
            writeln!(tsv, "{key}\t{value}").expect("write interdict.tsv");
        }
        tsv.flush().expect("write interdict.tsv");
        println!(
            "  wrote {}/{{ownership,listed,blocked}}.csv and interdict.tsv in {}",
            dir.display(),
            human_ms(ms(started.elapsed()))
        );
    }
}

/// Links from the nearest listed party, along ownership links into blocked parties (BFS);
/// `usize::MAX` where there is no such path.
fn distances(graph: &Graph, derivation: &interdict_graph::Derivation) -> Vec<usize> {
    let mut distance = vec![usize::MAX; graph.len()];
    let mut queue = VecDeque::new();
    for n in 0..graph.len() as u32 {
        if derivation.basis[n as usize] == Basis::Listed {
            distance[n as usize] = 0;
            queue.push_back(n);
        }
    }
    while let Some(n) = queue.pop_front() {
        for e in graph.outgoing(n) {
            let to = e.to as usize;
            if e.kind == LinkKind::Ownership
                && derivation.basis[to] == Basis::Ownership
                && distance[to] == usize::MAX
            {
                distance[to] = distance[n as usize] + 1;
                queue.push_back(e.to);
            }
        }
    }
    distance
}

/// The registry's ownership links (with a percentage) and the listed ids, as CSV.
fn write_csv(dir: &PathBuf, spec: &RegistrySpec) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let field = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut out = BufWriter::new(File::create(dir.join("ownership.csv"))?);
    writeln!(out, "owner_id,asset_id,percentage,start_date,end_date")?;
    for record in simulate::stream(spec) {
        if let Record::Link(l) = record
            && l.kind == LinkKind::Ownership
            && let Some(p) = l.percentage
        {
            writeln!(
                out,
                "{},{},{p},{},{}",
                field(&l.from),
                field(&l.to),
                l.start.as_deref().map(field).unwrap_or_default(),
                l.end.as_deref().map(field).unwrap_or_default()
            )?;
        }
    }
    out.flush()?;
    let mut out = BufWriter::new(File::create(dir.join("listed.csv"))?);
    writeln!(out, "id")?;
    for id in &spec.listed {
        writeln!(out, "{}", field(id))?;
    }
    out.flush()
}
