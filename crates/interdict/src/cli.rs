//! The command line as clap reads it: raw arguments, before anything is resolved.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// interdict: find, block and report designated parties' money and property.
#[derive(Debug, Parser)]
#[command(name = "interdict", version, about, propagate_version = true)]
pub struct Cli {
    /// The store file (SQLite).
    #[arg(
        long,
        global = true,
        env = "INTERDICT_DB",
        default_value = "interdict.db"
    )]
    pub db: PathBuf,

    /// Who the changes made are recorded as made by in the audit trail.
    #[arg(
        long = "as",
        global = true,
        env = "INTERDICT_ACTOR",
        value_name = "USER"
    )]
    pub actor: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ingest lists into the store: the bundled lists, or files and folders.
    Ingest(IngestArgs),
    /// Show the stored versions of each list, or compare two of them.
    Lists(ListsArgs),
    /// Look at one entity.
    Entity {
        #[command(subcommand)]
        command: EntityCommand,
    },
    /// Write every current entity out.
    Export(ExportArgs),
    /// Screen a name against the current lists.
    Screen(ScreenArgs),
    /// Serve the screening API over HTTP (yente's /match shape), ingesting the bundled lists
    /// into an empty store first.
    Serve(ServeArgs),
    /// Record, list or withdraw decided false positives (an entity that is not a customer).
    Suppress {
        #[command(subcommand)]
        command: SuppressCommand,
    },
    /// Is an entity blocked, listed or by the 50% rule, and by which paths from designated
    /// parties; and what weaker links (control, family, associates) tie it to them.
    Exposure(ExposureArgs),
    /// Recompute who is blocked by ownership or control, store it, and list what changed
    /// since the last run.
    Derive(DeriveArgs),
    /// Stream transactions through the laundering-typology detectors; alerts out as JSON lines.
    Monitor(MonitorArgs),
    /// Generate synthetic data for tests, demos and benchmarks.
    Simulate {
        #[command(subcommand)]
        command: SimulateCommand,
    },
    /// Measure quality on labelled cases.
    Eval {
        #[command(subcommand)]
        command: EvalCommand,
    },
    /// Print counts of what the store holds.
    Summary {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// The audit trail: check its hash chain, or write it out for an examiner.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Freeze (block) property: propose, approve or reject (another person), unblock on a
    /// recorded reason, list, and report blocked property.
    Freeze {
        #[command(subcommand)]
        command: FreezeCommand,
    },
    /// Regulatory reports: a suspicious activity report as FinCEN SAR or goAML STR XML.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// Users, their roles (analyst, supervisor, administrator) and API tokens.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The stored customer base, screened on every list change.
    Customers {
        #[command(subcommand)]
        command: CustomersCommand,
    },
    /// Screen the stored customers: new or changed customers against every party, the others
    /// against the parties new or changed since the last run; new or changed hits alert.
    Rescreen(RescreenArgs),
    /// The alert inbox: screening, rescreening, derived-status and monitoring alerts.
    Alerts {
        #[command(subcommand)]
        command: AlertsCommand,
    },
    /// Cases: investigations, tips, and extradition or mutual-legal-assistance requests.
    Cases {
        #[command(subcommand)]
        command: CasesCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum CustomersCommand {
    /// Add or update customers from JSON lines (`id`, `name`, and optionally `schema`,
    /// `birth_date`, `country`, `id_number`, `gender`), then screen those new or changed.
    Import {
        file: PathBuf,
        /// Store them without screening now (the next `rescreen` or ingest screens them).
        #[arg(long)]
        no_screen: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, clap::Args)]
pub struct RescreenArgs {
    /// Score from which a hit alerts (0..1); by default each schema's own threshold.
    #[arg(long)]
    pub threshold: Option<f64>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum AlertsCommand {
    /// Alerts, oldest first.
    List {
        /// open or closed.
        #[arg(long)]
        state: Option<String>,
        /// screening, rescreening, derived or monitoring.
        #[arg(long)]
        source: Option<String>,
        #[arg(long)]
        case: Option<String>,
        #[arg(long)]
        limit: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// One alert with its evidence.
    Show { id: String },
    /// Close an alert on its own: a screening alert closed as a false positive records a
    /// suppression, so the customer is not alerted on that party again until it changes.
    Close {
        id: String,
        /// true-match, false-positive or not-actionable.
        #[arg(long)]
        resolution: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum CasesCommand {
    /// Open a case, taking in open alerts.
    Open {
        /// investigation, tip or mla (an extradition or mutual-legal-assistance request).
        #[arg(long, default_value = "investigation")]
        kind: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        assignee: Option<String>,
        /// YYYY-MM-DD.
        #[arg(long)]
        deadline: Option<String>,
        /// A JSON object: a tip's `source` and `summary`; a request's `request` (extradition
        /// or mla), `direction` (outgoing or incoming), `requesting_state`,
        /// `requested_state`, `subject` and `legal_basis`.
        #[arg(long)]
        detail: Option<String>,
        /// A tip's submitter, kept apart: read with `cases contact`, each read audited.
        #[arg(long)]
        contact: Option<String>,
        /// An open alert to take in; repeat for more.
        #[arg(long = "alert")]
        alerts: Vec<String>,
        /// Take in every open alert, not yet in a case, about this party (the listed party
        /// alerted on, or the subject).
        #[arg(long, conflicts_with = "network")]
        party: Option<String>,
        /// Take in every open alert, not yet in a case, about a party within this many links
        /// (ownership, control, family, associates) of `--network-of`.
        #[arg(long = "network-of", id = "network")]
        network_of: Option<String>,
        /// How many links `--network-of` follows.
        #[arg(long, default_value_t = 2, requires = "network")]
        depth: usize,
        #[arg(long)]
        json: bool,
    },
    /// Cases, oldest first (the listing is audited).
    List {
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        state: Option<String>,
        #[arg(long)]
        assignee: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// A case with its links, alerts and timeline (the read is audited).
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Move a case from one state to the next (investigations and tips: open, in-review,
    /// escalated, closed; requests: draft, sent, acknowledged, executing, executed, refused,
    /// withdrawn). Closing needs --resolution, which the case's open alerts take too.
    Move {
        id: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// true-match, false-positive or not-actionable.
        #[arg(long)]
        resolution: Option<String>,
    },
    /// Assign a case to a user.
    Assign { id: String, assignee: String },
    /// Add a note to a case.
    Note { id: String, text: String },
    /// Link an alert, entity, transaction, account or evidence document to a case.
    Link {
        id: String,
        /// alert, entity, transaction, account or evidence.
        #[arg(long)]
        kind: String,
        #[arg(long)]
        reference: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Set a case's deadline (YYYY-MM-DD).
    Deadline { id: String, date: String },
    /// A tip's submitter contact (supervisors; the read is audited).
    Contact { id: String },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read from the first line of standard input. The first
    /// user must be an administrator; after that only an administrator (`--as`) adds users.
    Add {
        name: String,
        /// analyst, supervisor or administrator.
        #[arg(long)]
        role: String,
        /// Where the user works: an agency, an FIU, a bank.
        #[arg(long, default_value = "")]
        agency: String,
    },
    /// Every user, with role and agency.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Make an API token for a machine acting as this user; shown once, stored hashed.
    Token {
        name: String,
        #[arg(long, default_value = "")]
        label: String,
    },
    /// Check a user's password, read from standard input (exit status 0 when it matches).
    Check { name: String },
    /// Disable a user (administrators): their password and tokens are refused from now on.
    Disable { name: String },
    /// Enable a disabled user again (administrators).
    Enable { name: String },
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Render a suspicious activity report (JSON, the shape crates/interdict-report reads)
    /// as the XML a regulator takes; every problem is named by its field path.
    Sar {
        /// The report, as JSON.
        #[arg(long)]
        input: PathBuf,
        /// fincen (BSA E-Filing SAR batch) or goaml (UNODC goAML STR).
        #[arg(long, value_enum)]
        format: SarFormat,
        /// Where to write the XML; standard output if none.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SarFormat {
    Fincen,
    Goaml,
}

#[derive(Debug, Subcommand)]
pub enum FreezeCommand {
    /// Propose blocking a piece of property; another person approves or rejects it.
    Propose(Box<ProposeFreezeArgs>),
    /// Approve a proposed freeze: the property is blocked from now on.
    Approve { id: String },
    /// Reject a proposed freeze.
    Reject { id: String },
    /// Propose unblocking a blocked freeze, with the reason (delisting, licence, error).
    Unblock {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// Approve a proposed unblocking.
    ApproveUnblock { id: String },
    /// Turn a proposed unblocking down: the property stays blocked.
    RejectUnblock { id: String },
    /// Every freeze order and where it stands.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Blocked property as 31 CFR 501.603 asks it reported (owner, property, location,
    /// value, date blocked, program), with totals by program, holder and institution.
    Report {
        /// Property blocked as of this date (YYYY-MM-DD; today if none): the annual report
        /// of blocked property is as of June 30.
        #[arg(long)]
        as_of: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct ProposeFreezeArgs {
    /// account, wallet, vessel, aircraft or real-property.
    #[arg(long)]
    pub asset_kind: String,
    /// Its identifier: account number or IBAN, wallet address, IMO, tail number, parcel.
    #[arg(long)]
    pub asset: String,
    #[arg(long)]
    pub description: String,
    /// The stored entity that holds it (e.g. ofac-6861), if any.
    #[arg(long)]
    pub holder_id: Option<String>,
    #[arg(long)]
    pub holder_name: String,
    /// The legal basis: the designation, or the 50%-rule path.
    #[arg(long)]
    pub basis: String,
    /// The sanctions program (SDNTK, ILLICIT-DRUGS, …).
    #[arg(long)]
    pub program: String,
    /// An exact decimal amount.
    #[arg(long, allow_hyphen_values = true)]
    pub value: String,
    /// ISO 4217 code.
    #[arg(long)]
    pub currency: String,
    #[arg(long)]
    pub location: String,
    /// The institution holding the property.
    #[arg(long)]
    pub institution: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain from the first record; name the first broken one and fail.
    Verify {
        /// Print JSON instead of a sentence.
        #[arg(long)]
        json: bool,
    },
    /// Write the records out as JSON lines, with their hashes.
    Export {
        /// The file to write; standard output if none.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Only the records after this number.
        #[arg(long, default_value_t = 0)]
        after: i64,
    },
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files or folders to read; with none, the bundled lists.
    pub paths: Vec<PathBuf>,
    /// The format, when it cannot be told from the files.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// The dataset name (default: from the format: ofac-sdn, ofac-cons, un-sc, registry; FtM:
    /// the file name).
    #[arg(long)]
    pub dataset: Option<String>,
    /// The version date of the list, YYYY-MM-DD (default: from the file, then its path, then today).
    #[arg(long)]
    pub version_date: Option<String>,
    /// The releasability label of every statement read.
    #[arg(long, default_value = "PUBLIC")]
    pub label: String,
    /// Skip a malformed record and report it, instead of refusing the whole list.
    #[arg(long)]
    pub skip_bad_records: bool,
    /// Parse and report, but write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not rescreen the stored customers after the ingest.
    #[arg(long)]
    pub no_rescreen: bool,
    /// Print every warning, not only the first ones.
    #[arg(long)]
    pub all_warnings: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// OFAC legacy CSV (sdn.csv set or cons_*.csv set)
    OfacCsv,
    /// UN Security Council consolidated XML
    UnXml,
    /// FollowTheMoney JSON lines
    Ftm,
    /// Company registry: ownership.csv (owner_id,asset_id,percentage[,start_date,end_date])
    /// with entities.csv (id,schema,name,…) beside it
    RegistryCsv,
}

#[derive(Debug, Args)]
pub struct ListsArgs {
    #[command(subcommand)]
    pub command: Option<ListsCommand>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ListsCommand {
    /// What changed between two versions of a list.
    Diff(DiffArgs),
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The dataset (e.g. ofac-sdn); may be left out when only one has two versions.
    pub dataset: Option<String>,
    /// The older version (default: the one before --to).
    #[arg(long)]
    pub from: Option<String>,
    /// The newer version (default: the newest).
    #[arg(long)]
    pub to: Option<String>,
    /// How many entities to show per kind of change in the text report.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Print the whole diff as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum EntityCommand {
    /// One entity with every value, its provenance, its sanctions and its links.
    Show {
        /// The entity id, e.g. ofac-6861 or un-QDi.001.
        id: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The output format.
    #[arg(long, value_enum, default_value = "ftm")]
    pub format: ExportFormat,
    /// Write here instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// FollowTheMoney JSON lines
    Ftm,
}

#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// The name to screen (or --input for a batch).
    #[arg(required_unless_present = "input")]
    pub name: Option<String>,
    /// Screen every record of a CSV or JSON lines file (columns or keys: id, name, schema,
    /// birth_date, country, id_number, gender).
    #[arg(long, requires = "output", conflicts_with = "name")]
    pub input: Option<PathBuf>,
    /// Where batch results go, as JSON lines; a rerun appends what is missing.
    #[arg(long, requires = "input")]
    pub output: Option<PathBuf>,
    /// The kind of party: Person, Organization, Company, Vessel, Airplane.
    #[arg(long)]
    pub schema: Option<String>,
    /// Date or year of birth (or of incorporation).
    #[arg(long)]
    pub birth_date: Option<String>,
    /// Nationality or country, as a name or a code.
    #[arg(long)]
    pub country: Option<String>,
    /// A passport, national id, registration or IMO number, or a crypto address.
    #[arg(long)]
    pub id_number: Option<String>,
    /// male, female or other.
    #[arg(long)]
    pub gender: Option<String>,
    /// The customer screened: entities decided not to be this customer are not raised.
    /// (In a batch, each record's id is its customer id.)
    #[arg(long, conflicts_with = "input")]
    pub customer: Option<String>,
    /// At most this many results.
    #[arg(long, default_value_t = 5)]
    pub limit: usize,
    /// Report results at or above this score (default: the schema's operating threshold).
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// With --input: also raise each hit into the store's alert inbox (once per record id
    /// and party).
    #[arg(long, requires = "input")]
    pub inbox: bool,
}

#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Recall@1, recall@5 and the false-positive rate of screening, per group and overall.
    Screening {
        /// Cases as JSON lines, in the shape of shared/data/screening/dev_cases.jsonl.
        cases: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Precision, recall and F1 of the monitor's alerts over accounts and transactions, per
    /// typology, against the labels of AMLworld or AMLSim data.
    Monitoring(EvalMonitoringArgs),
}

/// Transaction formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FlowFormatArg {
    /// IBM AMLworld CSV (Kaggle's HI-Small_Trans.csv and the like).
    Amlworld,
    /// AMLSim's sample transactions.csv (sourceNodeId,targetNodeId,value,time).
    Amlsim,
    /// AMLSim's tx log (tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id).
    AmlsimTx,
    /// interdict's JSON lines.
    Jsonl,
}

#[derive(Debug, Args)]
pub struct MonitorArgs {
    /// The transactions file; `-` reads stdin as a live stream.
    #[arg(long)]
    pub input: PathBuf,
    #[arg(long, value_enum)]
    pub format: FlowFormatArg,
    /// Detector settings (TOML); every key has a default, see docs/monitoring.md.
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// Where alerts go, as JSON lines; stdout if not given.
    #[arg(long)]
    pub alerts: Option<PathBuf>,
    /// Accounts of designated or blocked parties (CSV `account,entity`); any transaction
    /// touching one is a critical alert.
    #[arg(long)]
    pub watchlist: Option<PathBuf>,
    /// What kind of customer holds each account, from know-your-customer data (CSV
    /// `account,segment`, segment `person` or `business`): some rules ask more of a business.
    #[arg(long)]
    pub segments: Option<PathBuf>,
    /// Do not watch the wallets and bank accounts of the store's designated and blocked
    /// parties.
    #[arg(long)]
    pub no_lists: bool,
    /// Also raise each alert into the store's alert inbox (once per pattern, window and
    /// rules version, however often the stream is run).
    #[arg(long)]
    pub inbox: bool,
    /// Print the run's report as JSON (on stderr).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EvalMonitoringArgs {
    /// The labelled transactions file.
    #[arg(long)]
    pub input: PathBuf,
    #[arg(long, value_enum)]
    pub format: FlowFormatArg,
    /// AMLworld's `*_Patterns.txt`, to score each typology.
    #[arg(long)]
    pub patterns: Option<PathBuf>,
    /// AMLSim's `nodes.csv`, whose `isFraud` labels accounts.
    #[arg(long)]
    pub nodes: Option<PathBuf>,
    /// What kind of customer holds each account, from know-your-customer data (CSV
    /// `account,segment`, segment `person` or `business`): some rules ask more of a business.
    #[arg(long)]
    pub segments: Option<PathBuf>,
    #[arg(long)]
    pub rules: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// The address to listen on (port 0 picks a free one, printed at start).
    #[arg(long, env = "INTERDICT_LISTEN", default_value = "127.0.0.1:8000")]
    pub listen: String,
    /// Seconds between checks for a new list version (the index is rebuilt when one lands).
    #[arg(long, default_value_t = 30)]
    pub reload_interval: u64,
    /// Do not ingest the bundled lists into an empty store; fail instead.
    #[arg(long)]
    pub no_bundled: bool,
    /// The transaction monitor's rules (TOML) for `POST /transactions`; the defaults if none.
    #[arg(long)]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum SuppressCommand {
    /// Record that an entity is not this customer, so screening the customer skips it.
    Add {
        /// The customer's id, as batch records and /match queries carry it.
        #[arg(long)]
        customer: String,
        /// The listed entity, e.g. ofac-6861.
        #[arg(long)]
        entity: String,
        /// Why (another birth date, another nationality, …).
        #[arg(long)]
        reason: String,
        /// Who decided.
        #[arg(long, env = "USER")]
        by: String,
    },
    /// List decisions, for one customer or all.
    List {
        #[arg(long)]
        customer: Option<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Withdraw a decision: the entity is raised for the customer again.
    Remove {
        #[arg(long)]
        customer: String,
        #[arg(long)]
        entity: String,
    },
}

#[derive(Debug, Args)]
pub struct ExposureArgs {
    /// The entity id, e.g. ofac-49747.
    pub id: String,
    /// How many links away from it to look for designated parties.
    #[arg(long, default_value_t = 3)]
    pub depth: usize,
    /// Count only links in force on this date, YYYY-MM-DD (default: today).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Which reading: OFAC's 50% rule, or the EU/UK "owned (over 50%) or controlled".
    #[arg(long, value_enum, default_value = "ofac")]
    pub mode: ModeArg,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ModeArg {
    Ofac,
    EuUk,
}

#[derive(Debug, Subcommand)]
pub enum SimulateCommand {
    /// A company registry (entities.csv, ownership.csv, links.ftm.json) shaped like real ones,
    /// with designated parties of the store among the owners; ingest it with `ingest DIR`.
    Registry(SimulateRegistryArgs),
    /// Transactions in IBM AMLworld's CSV format (transactions.csv) with laundering attempts of
    /// every typology the monitor detects planted in ordinary activity (patterns.txt).
    Transactions(SimulateTransactionsArgs),
}

#[derive(Debug, Args)]
pub struct SimulateTransactionsArgs {
    /// How many accounts.
    #[arg(long)]
    pub accounts: usize,
    /// How many transactions, laundering included.
    #[arg(long)]
    pub transactions: u64,
    /// The same seed gives the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// One laundering transaction per this many (AMLworld's HI-Small: 981).
    #[arg(long, default_value_t = 1_000)]
    pub laundering_one_in: u64,
    /// The folder to write into (created if missing).
    #[arg(long)]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct SimulateRegistryArgs {
    /// How many companies.
    #[arg(long)]
    pub companies: usize,
    /// The same seed gives the same registry.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The folder to write into (created if missing).
    #[arg(long)]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct DeriveArgs {
    /// Count only links in force on this date, YYYY-MM-DD (default: today).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Which reading: OFAC's 50% rule, or the EU/UK "owned (over 50%) or controlled".
    #[arg(long, value_enum, default_value = "ofac")]
    pub mode: ModeArg,
    /// Report the changes, but keep the stored statuses as they are.
    #[arg(long)]
    pub dry_run: bool,
    /// How many changes the text report lists.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}
