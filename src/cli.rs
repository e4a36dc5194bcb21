//! The command line, as clap parses it: raw values only. `crate::config` fills in what
//! `orderctl.toml` sets, and `crate::context` turns them into validated settings.

use clap::{Args, Parser, Subcommand, ValueEnum};
use order_domain::Mix;
use std::path::PathBuf;
use std::time::Duration;

pub const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  the command ran but the outcome is negative (orders lost or unsettled, a
     pipeline that did not drain)
  2  usage, configuration, AWS or I/O error";

/// `orderctl --version`: the version, the commit it was built from and the handlers'
/// sources it carries.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("ORDERCTL_COMMIT"), ")");

#[derive(Debug, Parser)]
#[command(
    name = "orderctl",
    version = VERSION,
    about = "Stand up, load, watch, repair and tear down an event-driven order pipeline (SNS → SQS → Lambda → DynamoDB)",
    long_about = None,
    after_help = EXIT_CODES,
)]
pub struct Cli {
    /// Name of the stack: every resource name starts with it.
    #[arg(allow_negative_numbers = true, long, global = true, env = "ORDERCTL_STACK", default_value = "orderctl")]
    pub stack: String,

    /// Where the pipeline runs: `local` (embedded, no AWS account) or `aws`.
    #[arg(allow_negative_numbers = true, long, global = true, value_enum, env = "ORDERCTL_TARGET", default_value_t = TargetKind::Local)]
    pub target: TargetKind,

    /// Format of the results printed on stdout.
    #[arg(allow_negative_numbers = true, long, short = 'o', global = true, value_enum, env = "ORDERCTL_OUTPUT", default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,

    /// Answer yes to confirmations (needed by destructive commands without a terminal).
    #[arg(long, short = 'y', global = true)]
    pub yes: bool,

    /// Log to stderr: `-v` orderctl's own diagnostics (each AWS request of `up`, `down`,
    /// `status` and the publisher, with its attempt; each request the `ui` page makes),
    /// `-vv` the AWS SDK's steps too, `-vvv` everything (`RUST_LOG` overrides). Secrets
    /// are never shown.
    #[arg(long, short = 'v', global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// For `--target aws`: an AWS-compatible endpoint (moto, LocalStack) instead of AWS,
    /// for every service. From the environment, a service's own
    /// `AWS_ENDPOINT_URL_<SERVICE>` (or the profile's `services` section) wins for it,
    /// as in the AWS CLI and SDKs.
    #[arg(allow_negative_numbers = true, long, global = true, env = "AWS_ENDPOINT_URL", value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Whether `endpoint_url` came from `AWS_ENDPOINT_URL` (then the SDK resolves each
    /// service's endpoint itself) rather than the flag or `orderctl.toml`.
    #[arg(skip)]
    pub endpoint_url_from_env: bool,

    /// For `--target aws`: the region (default: the AWS configuration's).
    #[arg(allow_negative_numbers = true, long, global = true, env = "AWS_REGION", value_name = "REGION")]
    pub region: Option<String>,

    /// For `--target aws`: the named profile of the AWS configuration.
    #[arg(allow_negative_numbers = true, long, global = true, env = "AWS_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,

    /// Directory holding the local target's stacks (one subdirectory per stack).
    #[arg(allow_negative_numbers = true, long, global = true, env = "ORDERCTL_STATE_DIR", default_value = ".orderctl", value_name = "DIR")]
    pub state_dir: PathBuf,

    #[command(subcommand)]
    pub command: Command,

    /// Where each value came from, filled in by [`crate::config::apply`].
    #[arg(skip)]
    pub sources: Vec<Source>,

    /// `[thresholds]` of `orderctl.toml`: defaults for `send` and `run`.
    #[arg(skip)]
    pub thresholds: crate::load::scenario::Thresholds,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TargetKind {
    Local,
    Aws,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create or update the stack's resources (idempotent: a second `up` changes nothing).
    Up(UpArgs),
    /// Delete the stack's resources and data (only what carries the stack's tag).
    Down,
    /// Show the stack's resources, queue depths, alarm state and order counts.
    Status(StatusArgs),
    /// Publish synthetic orders at a total rate, wait until they settle, report.
    Send(SendArgs),
    /// The CI check: bring the stack up if needed, send one order of each kind, and
    /// check each reaches its expected outcome (exit 0 only if every one does).
    Smoke(SmokeArgs),
    /// Run a load scenario from a file (stages, mix, thresholds that set the exit code).
    Run(RunArgs),
    /// Run the local pipeline until every queue is empty (for example after a crash).
    Drain(DrainArgs),
    /// List the table's orders, newest first, filtered by status, kind, run and age.
    Orders(OrdersArgs),
    /// One order through every hop, in time order: published, each receive and its
    /// result, the DLQ, each write of the order, the pipe, the review; where it is now,
    /// and the log lines that mention it. Exit 1 if the order is unknown.
    Trace(TraceArgs),
    /// The stack's function logs, interleaved by time.
    Logs(LogsArgs),
    /// Operate the dead-letter queue.
    #[command(subcommand)]
    Dlq(DlqCommand),
    /// Build the Lambda handlers and write one reproducible deployment zip each.
    Package(PackageArgs),
    /// Write the stack as infrastructure as code, with the handler zips beside it.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Run the packaged handlers locally: one invocation, or the stack's event source
    /// mappings against an AWS-compatible endpoint.
    #[command(subcommand)]
    Lambda(LambdaCommand),
    /// Print the effective configuration and where each value comes from (flag,
    /// environment, `orderctl.toml`, default).
    Config(ConfigArgs),
    /// Serve a page on 127.0.0.1 with an order form and a live dashboard of the stack
    /// (orders by status, queue and DLQ depths, alarm and alerts, throughput and
    /// latency plots, the DLQ's messages with a redrive button).
    Ui(UiArgs),
    /// Print a shell completion script (also committed under `completions/`).
    Completions {
        #[arg(allow_negative_numbers = true, value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct UpArgs {
    /// Show the plan and change nothing.
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub deploy: DeployArgs,
}

/// What `up` deploys and how: the pipeline's settings and, on aws, the code.
#[derive(Debug, Args, Clone)]
pub struct DeployArgs {
    /// aws: take over resources with the stack's names that lack its tag (by default
    /// `up` refuses to touch them).
    #[arg(long)]
    pub adopt: bool,

    /// aws: deploy the zips in DIR (`orderctl package --zips DIR`) instead of building
    /// the handlers.
    #[arg(allow_negative_numbers = true, long, alias = "packages", value_name = "DIR")]
    pub zips: Option<PathBuf>,

    /// aws: build and ship the handlers of this orderctl workspace (default: the
    /// handlers this orderctl was built with, which it carries).
    #[arg(allow_negative_numbers = true, long, value_name = "DIR")]
    pub source: Option<PathBuf>,

    /// aws: the functions' architecture.
    #[arg(allow_negative_numbers = true, long, value_enum, default_value = "x86-64")]
    pub arch: FunctionArch,

    #[command(flatten)]
    pub settings: SettingsArgs,
}

#[derive(Debug, Args)]
pub struct SmokeArgs {
    /// How long to wait for the orders to reach their outcomes.
    #[arg(allow_hyphen_values = true, allow_negative_numbers = true, long, value_parser = parse_positive_duration, default_value = "120s", value_name = "DURATION")]
    pub timeout: Duration,
    /// Tear the stack down afterwards, even when a check failed.
    #[arg(long)]
    pub down: bool,
    /// Also write the checks as a JUnit XML report to FILE (for CI systems).
    #[arg(allow_negative_numbers = true, long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    #[command(flatten)]
    pub deploy: DeployArgs,
}

/// A Lambda architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FunctionArch {
    X86_64,
    Arm64,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(flatten)]
    pub settings: SettingsArgs,
}

#[derive(Debug, Args)]
pub struct UiArgs {
    /// Port on 127.0.0.1 (`0`: any free port; the address is printed at start).
    #[arg(allow_negative_numbers = true, long, short = 'p', default_value_t = 8421, value_name = "PORT")]
    pub port: u16,
}

#[derive(Debug, Args, Default)]
pub struct StatusArgs {
    /// Refresh every DURATION (in place at a terminal; otherwise one report, or one
    /// JSON line, per refresh) until Ctrl-C.
    #[arg(allow_negative_numbers = true, long, value_parser = parse_refresh, value_name = "DURATION", num_args = 0..=1, default_missing_value = "2s")]
    pub watch: Option<Duration>,

    /// aws: compare against these settings (the target's defaults otherwise; the local
    /// target remembers what `up` applied).
    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// Pipeline settings; each defaults to the target's default.
#[derive(Debug, Args, Default, Clone)]
pub struct SettingsArgs {
    /// Receives before a message moves to the DLQ (AWS advises ≥ 5 with Lambda).
    #[arg(allow_negative_numbers = true, long, env = "ORDERCTL_MAX_RECEIVE_COUNT", value_name = "N")]
    pub max_receive_count: Option<u32>,
    /// Visibility timeout of the queues (≥ 6 × the function timeout).
    #[arg(allow_hyphen_values = true, allow_negative_numbers = true, long, env = "ORDERCTL_VISIBILITY_TIMEOUT", value_parser = parse_duration, value_name = "DURATION")]
    pub visibility_timeout: Option<Duration>,
    /// Timeout of the functions.
    #[arg(allow_hyphen_values = true, allow_negative_numbers = true, long, env = "ORDERCTL_FUNCTION_TIMEOUT", value_parser = parse_duration, value_name = "DURATION")]
    pub function_timeout: Option<Duration>,
    /// Records per batch of each event source mapping.
    #[arg(allow_negative_numbers = true, long, env = "ORDERCTL_BATCH_SIZE", value_name = "N")]
    pub batch_size: Option<u32>,
    /// How long a mapping waits to fill a batch.
    #[arg(allow_hyphen_values = true, allow_negative_numbers = true, long, env = "ORDERCTL_BATCHING_WINDOW", value_parser = parse_duration, value_name = "DURATION")]
    pub batching_window: Option<Duration>,
    /// Concurrent batches of the `orders` mapping.
    #[arg(allow_negative_numbers = true, long, env = "ORDERCTL_CONCURRENCY", value_name = "N")]
    pub concurrency: Option<u32>,
    /// Orders above this amount fail by rule and are reviewed.
    #[arg(allow_negative_numbers = true, long, env = "ORDERCTL_THRESHOLD", value_name = "AMOUNT")]
    pub threshold: Option<f64>,
    /// Period of the DLQ alarm.
    #[arg(allow_hyphen_values = true, allow_negative_numbers = true, long, env = "ORDERCTL_ALARM_PERIOD", value_parser = parse_duration, value_name = "DURATION")]
    pub alarm_period: Option<Duration>,
    /// Days the functions' log groups keep their events (aws; one of CloudWatch Logs'
    /// retentions: 1, 3, 5, 7, 14, 30, 60, 90, … 3653).
    #[arg(allow_negative_numbers = true, long, env = "ORDERCTL_LOG_RETENTION", value_name = "DAYS")]
    pub log_retention: Option<u32>,
    /// Subscribe this address to the `alerts` topic.
    #[arg(allow_negative_numbers = true, long, env = "ORDERCTL_ALERT_EMAIL", value_name = "ADDRESS")]
    pub alert_email: Option<String>,
    /// Create the event source mappings disabled: for an emulator that runs no Lambda
    /// code (moto would take every message itself and fail it); `orderctl lambda
    /// mappings` then does their work.
    #[arg(long)]
    pub disable_mappings: bool,
}

#[derive(Debug, Args)]
pub struct SendArgs {
    /// Send only orders of this kind.
    #[arg(allow_negative_numbers = true, long, value_enum, conflicts_with_all = ["mix", "normal", "high_value", "fail"])]
    pub kind: Option<KindArg>,
    /// Share of each kind, e.g. `normal=8,high-value=1,fail=1` (the default).
    #[arg(allow_negative_numbers = true, long, value_name = "MIX", value_parser = parse_mix, conflicts_with_all = ["normal", "high_value", "fail"])]
    pub mix: Option<Mix>,
    /// Shorthand for `--kind normal`.
    #[arg(long, conflicts_with_all = ["high_value", "fail"])]
    pub normal: bool,
    /// Shorthand for `--kind high-value`.
    #[arg(long, conflicts_with = "fail")]
    pub high_value: bool,
    /// Shorthand for `--kind fail`.
    #[arg(long)]
    pub fail: bool,
    /// How many orders to send (default 100 unless `--duration` is given).
    #[arg(allow_negative_numbers = true, long, short = 'n', conflicts_with = "duration", value_parser = clap::value_parser!(u64).range(1..), value_name = "N")]
    pub count: Option<u64>,
    /// Send for this long instead of a count, e.g. `30s`.
    #[arg(allow_hyphen_values = true, allow_negative_numbers = true, long, short = 'd', value_parser = parse_positive_duration, value_name = "DURATION")]
    pub duration: Option<Duration>,
    /// Total orders per second across all senders, on a fixed schedule.
    #[arg(long, short = 'r', default_value = "100", value_parser = parse_rate, allow_negative_numbers = true, value_name = "PER_SECOND")]
    pub rate: f64,
    /// How long to wait for the orders to settle after the last send (`0s`: publish
    /// only; the orders are then reported in flight).
    #[arg(allow_hyphen_values = true, allow_negative_numbers = true, long, value_parser = parse_duration, default_value = "60s", value_name = "DURATION")]
    pub wait: Duration,
    /// Also write the end-to-end latency distribution to FILE, in HdrHistogram's
    /// percentile-distribution format (plot it with HdrHistogram's plotter).
    #[arg(allow_negative_numbers = true, long, value_name = "FILE")]
    pub hdr_out: Option<PathBuf>,
    /// Also write the report to FILE as a self-contained HTML page with the throughput
    /// and latency plots (opens offline).
    #[arg(allow_negative_numbers = true, long, value_name = "FILE")]
    pub report_html: Option<PathBuf>,
    #[command(flatten)]
    pub workers: WorkersArgs,
}

/// Publishing from Lambda instead of this machine (`--workers N`, aws).
#[derive(Debug, Args, Clone)]
pub struct WorkersArgs {
    /// aws: publish from N `load-generator` Lambda workers instead of this machine; each
    /// sends every N-th order of the schedule, and their figures are merged exactly. On
    /// an endpoint without Lambda they run here, under a local Lambda Runtime API.
    #[arg(allow_negative_numbers = true, long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=500))]
    pub workers: Option<u32>,
    /// aws: each worker's memory (Lambda gives CPU in proportion: 1769 MB is one vCPU).
    #[arg(allow_negative_numbers = true, long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(128..=10240), value_name = "MB", requires = "workers")]
    pub worker_memory: u32,
    /// aws: each worker invocation's timeout, whole seconds up to Lambda's 15m; a longer
    /// run is handed on to fresh invocations.
    #[arg(allow_hyphen_values = true, allow_negative_numbers = true, long, default_value = "15m", value_parser = parse_positive_duration, value_name = "DURATION", requires = "workers")]
    pub worker_timeout: Duration,
    /// aws: how long every worker has to report ready; if one does not, nothing is sent.
    #[arg(allow_hyphen_values = true, allow_negative_numbers = true, long, default_value = "60s", value_parser = parse_positive_duration, value_name = "DURATION", requires = "workers")]
    pub ready_timeout: Duration,
    /// aws: deploy the load generator from DIR (`orderctl package --zips DIR`) instead
    /// of building it.
    #[arg(allow_negative_numbers = true, long, value_name = "DIR", requires = "workers")]
    pub zips: Option<PathBuf>,
    /// aws: build the load generator of this orderctl workspace (default: the one this
    /// orderctl carries).
    #[arg(allow_negative_numbers = true, long, value_name = "DIR", requires = "workers", conflicts_with = "zips")]
    pub source: Option<PathBuf>,
    /// aws: the workers' architecture.
    #[arg(allow_negative_numbers = true, long, value_enum, default_value = "x86-64", requires = "workers")]
    pub arch: FunctionArch,
    /// aws: where the workers run: `lambda` invokes the deployed function through
    /// Lambda's API, `local` runs them here; `auto` is `lambda` on AWS and `local` on
    /// any other Lambda endpoint.
    #[arg(allow_negative_numbers = true, long, value_enum, default_value = "auto", requires = "workers")]
    pub worker_runner: WorkerRunner,
}

/// Where `--workers` run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WorkerRunner {
    Auto,
    Lambda,
    Local,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file, e.g. `scenarios/steady.toml`.
    pub scenario: PathBuf,
    /// Multiply every stage's duration by this (e.g. `0.1` for a quick rehearsal).
    #[arg(allow_negative_numbers = true, long, default_value_t = 1.0, value_parser = parse_scale, value_name = "FACTOR")]
    pub time_scale: f64,
    /// Multiply every stage's rate by this.
    #[arg(allow_negative_numbers = true, long, default_value_t = 1.0, value_parser = parse_scale, value_name = "FACTOR")]
    pub rate_scale: f64,
    /// Override the scenario's order mix.
    #[arg(allow_negative_numbers = true, long, value_name = "MIX", value_parser = parse_mix)]
    pub mix: Option<Mix>,
    /// Override how long to wait for the orders to settle.
    #[arg(allow_hyphen_values = true, allow_negative_numbers = true, long, value_parser = parse_duration, value_name = "DURATION")]
    pub wait: Option<Duration>,
    /// Override the scenario's p99 end-to-end threshold, in milliseconds.
    #[arg(allow_negative_numbers = true, long, value_name = "MS", value_parser = parse_positive_ms)]
    pub p99_ms: Option<f64>,
    /// Also write the end-to-end latency distribution to FILE (HdrHistogram format).
    #[arg(allow_negative_numbers = true, long, value_name = "FILE")]
    pub hdr_out: Option<PathBuf>,
    /// Also write the report to FILE as a self-contained HTML page with plots.
    #[arg(allow_negative_numbers = true, long, value_name = "FILE")]
    pub report_html: Option<PathBuf>,
    #[command(flatten)]
    pub workers: WorkersArgs,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// A CloudFormation template (YAML) of the stack `up` makes on AWS — every resource,
    /// name, setting, tag and least-privilege role — with parameters for the stack's
    /// name, the code bucket and the alert e-mail.
    Cloudformation(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The directory to write the template and the zips to.
    #[arg(allow_negative_numbers = true, long, default_value = "cloudformation", value_name = "DIR")]
    pub out: PathBuf,
    /// `cloudformation` (plain, `cloudformation.yaml`) or `sam` (the AWS SAM form,
    /// `template.yaml`).
    #[arg(allow_negative_numbers = true, long, value_enum, default_value = "cloudformation")]
    pub format: TemplateFormat,

    #[command(flatten)]
    pub deploy: DeployArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateFormat {
    Cloudformation,
    Sam,
}

#[derive(Debug, Args)]
pub struct PackageArgs {
    /// Lambda architecture to build for; `all` builds every one whose Rust target is
    /// installed.
    #[arg(allow_negative_numbers = true, long, value_enum, default_value_t = ArchArg::All)]
    pub arch: ArchArg,
    /// Build the handlers of this orderctl workspace (default: the handlers this
    /// orderctl was built with, which it carries).
    #[arg(allow_negative_numbers = true, long, value_name = "DIR")]
    pub source: Option<PathBuf>,
    /// Where to write the zips.
    #[arg(allow_negative_numbers = true, long, alias = "out", default_value = crate::package::DEFAULT_ZIPS, value_name = "DIR")]
    pub zips: PathBuf,
    /// Package the binaries already built; do not run cargo.
    #[arg(long)]
    pub no_build: bool,
}

#[derive(Debug, Subcommand)]
pub enum LambdaCommand {
    /// Invoke a packaged handler once, as a real process behind a local Lambda
    /// Runtime API, and print its response.
    Invoke {
        /// `order-worker`, `high-value-worker` or `create-order`.
        handler: String,
        /// The event, a JSON file (`-` for stdin).
        #[arg(allow_negative_numbers = true, long, value_name = "FILE")]
        event: PathBuf,
        /// The deployment zip (default: `target/lambda/<handler>-x86_64.zip`).
        #[arg(allow_negative_numbers = true, long, value_name = "ZIP")]
        zip: Option<PathBuf>,
        /// Environment for the function, `NAME=VALUE` (repeatable); AWS_* variables of
        /// this process are passed on.
        #[arg(allow_negative_numbers = true, long = "env", value_name = "NAME=VALUE")]
        env: Vec<String>,
        /// The function's timeout.
        #[arg(allow_hyphen_values = true, allow_negative_numbers = true, long, value_parser = parse_duration, default_value = "30s", value_name = "DURATION")]
        timeout: Duration,
    },
    /// Poll the stack's queues as Lambda's event source mappings do and feed the
    /// batches to the packaged handlers, and forward the table's stream through the
    /// stack's pipe: for endpoints that run no Lambda code and no pipes (moto).
    Mappings {
        /// Where the deployment zips are (`orderctl package --zips DIR`).
        #[arg(allow_negative_numbers = true, long, default_value = crate::package::DEFAULT_ZIPS, value_name = "DIR")]
        zips: PathBuf,
        /// Stop once every queue and the stream have been quiet this long (default: run
        /// until Ctrl-C).
        #[arg(allow_hyphen_values = true, allow_negative_numbers = true, long, value_parser = parse_duration, value_name = "DURATION")]
        idle: Option<Duration>,
        /// The functions' timeout.
        #[arg(allow_hyphen_values = true, allow_negative_numbers = true, long, value_parser = parse_duration, default_value = "30s", value_name = "DURATION")]
        timeout: Duration,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ArchArg {
    #[value(name = "x86_64")]
    X86_64,
    Arm64,
    All,
}

#[derive(Debug, Args)]
pub struct OrdersArgs {
    /// Only orders with this status.
    #[arg(allow_negative_numbers = true, long, value_enum, ignore_case = true)]
    pub status: Option<StatusArg>,
    /// Only orders of this kind.
    #[arg(allow_negative_numbers = true, long, value_enum)]
    pub kind: Option<KindArg>,
    /// Only orders of this load run (the run id `send` reports).
    #[arg(allow_negative_numbers = true, long, value_name = "RUN_ID", value_parser = parse_order_id)]
    pub run: Option<String>,
    /// Only orders created since then: a duration back from now (`10m`, `2h`) or an
    /// RFC 3339 instant in UTC (`2026-12-01T08:00:00Z`).
    #[arg(allow_negative_numbers = true, long, value_name = "WHEN", value_parser = parse_since)]
    pub since: Option<Since>,
    /// At most this many orders.
    #[arg(allow_negative_numbers = true, long, default_value_t = 20, value_parser = parse_limit)]
    pub limit: usize,
}

#[derive(Debug, Clone, Args)]
pub struct TraceArgs {
    /// The order's id (`orderId`), as `orders`, `send` or `dlq inspect` show it.
    #[arg(allow_negative_numbers = true, value_name = "ORDER_ID", value_parser = parse_order_id)]
    pub order_id: String,
}

#[derive(Debug, Clone, Args)]
pub struct LogsArgs {
    /// Only this function's lines (repeatable; default: every function).
    #[arg(allow_negative_numbers = true, long = "function", value_enum, value_name = "FUNCTION")]
    pub functions: Vec<FunctionArg>,
    /// Lines since then: a duration back from now (`10m`, `2h`) or an RFC 3339 instant
    /// in UTC.
    #[arg(allow_negative_numbers = true, long, value_name = "WHEN", value_parser = parse_since, default_value = "10m")]
    pub since: Since,
    /// A CloudWatch Logs filter pattern: terms (`FAIL`, `"two words"`, `?any`, `-not`)
    /// or JSON selectors (`{ $.level = "error" && $.attempts >= 3 }`).
    #[arg(allow_negative_numbers = true, long, value_name = "PATTERN", value_parser = parse_filter)]
    pub filter: Option<crate::logs::FilterPattern>,
    /// Only the lines about this order.
    #[arg(allow_negative_numbers = true, long, value_name = "ID", value_parser = parse_order_id)]
    pub order_id: Option<String>,
    /// Keep printing new lines until interrupted (Ctrl-C).
    #[arg(long, short = 'f')]
    pub follow: bool,
}

fn parse_filter(s: &str) -> Result<crate::logs::FilterPattern, String> {
    s.parse()
}

/// A function of the stack, by its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FunctionArg {
    OrderWorker,
    HighValueWorker,
    CreateOrder,
}

impl From<FunctionArg> for crate::spec::Handler {
    fn from(f: FunctionArg) -> Self {
        match f {
            FunctionArg::OrderWorker => crate::spec::Handler::OrderWorker,
            FunctionArg::HighValueWorker => crate::spec::Handler::HighValueWorker,
            FunctionArg::CreateOrder => crate::spec::Handler::CreateOrder,
        }
    }
}

/// `--since`: how far back, or from when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    Ago(Duration),
    At(std::time::SystemTime),
}

impl Since {
    /// The instant, in µs since the epoch.
    pub fn micros(self) -> order_domain::Micros {
        match self {
            Since::Ago(d) => order_domain::now_micros() - d.as_micros() as order_domain::Micros,
            Since::At(t) => t.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_micros() as order_domain::Micros),
        }
    }
}

fn parse_since(s: &str) -> Result<Since, String> {
    if let Ok(d) = humantime::parse_duration(s) {
        return Ok(Since::Ago(d));
    }
    humantime::parse_rfc3339(s)
        .map(Since::At)
        .map_err(|_| format!("`{s}` is neither a duration (`10m`, `2h`) nor an RFC 3339 instant in UTC (`2026-12-01T08:00:00Z`)"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    Completed,
    Failed,
    Retrying,
    /// Also `DEAD_LETTERED`, as the table writes it.
    #[value(alias = "dead_lettered")]
    DeadLettered,
}

impl From<StatusArg> for order_domain::Status {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::Completed => order_domain::Status::Completed,
            StatusArg::Failed => order_domain::Status::Failed,
            StatusArg::Retrying => order_domain::Status::Retrying,
            StatusArg::DeadLettered => order_domain::Status::DeadLettered,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Normal,
    HighValue,
    Fail,
}

impl From<KindArg> for order_domain::Kind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::Normal => order_domain::Kind::Normal,
            KindArg::HighValue => order_domain::Kind::HighValue,
            KindArg::Fail => order_domain::Kind::Fail,
        }
    }
}

#[derive(Debug, Args)]
pub struct DrainArgs {
    /// Give up after this long.
    #[arg(allow_hyphen_values = true, allow_negative_numbers = true, long, value_parser = parse_duration, default_value = "60s", value_name = "DURATION")]
    pub wait: Duration,
}

#[derive(Debug, Subcommand)]
pub enum DlqCommand {
    /// List the DLQ's messages with the reason each failed, grouped by reason.
    ///
    /// On the local target this is an exact read that changes nothing. On SQS a message
    /// can only be read by receiving it: each one is received once (its receive count
    /// goes up by one) and made visible again as soon as all are read; a consumer of
    /// the DLQ would not see them for those seconds.
    Inspect {
        /// Show at most this many messages (all count in the grouping by reason).
        #[arg(allow_negative_numbers = true, long, default_value_t = 50, value_name = "N", value_parser = parse_limit)]
        limit: usize,
        /// Show only the messages of this order.
        #[arg(allow_negative_numbers = true, long, value_name = "ID", value_parser = parse_order_id)]
        order_id: Option<String>,
    },
    /// Move messages from the DLQ back to their source queue, to be processed again.
    ///
    /// On AWS a plain redrive is SQS's own message move task (`StartMessageMoveTask`,
    /// Ctrl-C cancels it); a selective or rewriting one, or one on an endpoint without
    /// move tasks (moto), moves client-side: each message is sent to the source queue
    /// before it is deleted from the DLQ, so an interruption can duplicate a message but
    /// never lose one. On the local target every move is one transaction.
    Redrive {
        /// Move at most this many messages.
        #[arg(allow_negative_numbers = true, long, value_name = "N", value_parser = parse_limit)]
        limit: Option<usize>,
        /// Move only the messages of this order.
        #[arg(allow_negative_numbers = true, long, value_name = "ID", value_parser = parse_order_id)]
        order_id: Option<String>,
        /// Move only orders of this kind.
        #[arg(allow_negative_numbers = true, long, value_enum, value_name = "KIND")]
        kind: Option<KindArg>,
        /// Move only messages whose failure reason contains TEXT.
        #[arg(allow_negative_numbers = true, long, value_name = "TEXT")]
        filter: Option<String>,
        /// Set each moved order's `notes` to TEXT (repair what made it fail).
        #[arg(allow_negative_numbers = true, long, value_name = "TEXT")]
        set_notes: Option<String>,
        /// Messages per second (at most 500, SQS's limit for a move task).
        #[arg(allow_negative_numbers = true, long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=500))]
        rate: Option<u32>,
        /// After moving, follow the moved orders this long and say what became of them.
        #[arg(allow_hyphen_values = true, allow_negative_numbers = true, long, value_parser = parse_duration, value_name = "DURATION")]
        wait: Option<Duration>,
        /// Show what would move and move nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Delete every message in the DLQ (asks first, with the count, unless `--yes`).
    Purge,
}

fn parse_mix(s: &str) -> Result<Mix, String> {
    s.parse()
}

fn parse_scale(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(f) if f.is_finite() && f > 0.0 && f <= 1000.0 => Ok(f),
        _ => Err(format!("`{s}` is not a factor above 0 and at most 1000")),
    }
}

fn parse_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(r) if r.is_finite() && r > 0.0 && r <= 1_000_000.0 => Ok(r),
        Ok(_) => Err("the rate must be above 0 and at most 1000000 orders per second".into()),
        Err(_) => Err(format!("`{s}` is not a number of orders per second")),
    }
}

/// A refresh interval: at least 100ms, so a watch never spins.
fn parse_refresh(s: &str) -> Result<Duration, String> {
    match parse_duration(s)? {
        d if d < Duration::from_millis(100) => Err("the refresh interval must be at least 100ms".into()),
        d => Ok(d),
    }
}

fn parse_positive_ms(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(ms) if ms.is_finite() && ms > 0.0 => Ok(ms),
        _ => Err(format!("`{s}` is not a number of milliseconds above 0")),
    }
}

fn parse_limit(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("`{s}` is not a whole number above 0")),
    }
}

fn parse_order_id(s: &str) -> Result<String, String> {
    match s.trim() {
        "" => Err("the order id is empty".into()),
        id => Ok(id.to_string()),
    }
}

fn parse_positive_duration(s: &str) -> Result<Duration, String> {
    match parse_duration(s)? {
        d if d.is_zero() => Err("the duration must be above zero".into()),
        d => Ok(d),
    }
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    humantime::parse_duration(s).map_err(|e| format!("`{s}` is not a duration ({e}); use for example `500ms`, `30s` or `2m`"))
}

/// One configuration value and where it came from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Source {
    pub key: String,
    pub value: String,
    /// `flag`, `env NAME`, `orderctl.toml` (or the file's path), or `default`.
    pub source: String,
}
