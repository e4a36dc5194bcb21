//! `orderctl` stands up, loads, watches, repairs and tears down an event-driven order
//! pipeline: SNS → SQS (with a DLQ) → Lambda → DynamoDB, an EventBridge Pipe routing
//! high-value orders, and a CloudWatch alarm on the DLQ.
//!
//! A tour of the crate (ARCHITECTURE.md at the repository's root is the full map):
//! - [`cli`]: the clap definitions, raw values only; [`config`]: `orderctl.toml`;
//!   [`context`]: the validated settings every command works from.
//! - [`commands`]: one module per command — settings in, one call on the target, the
//!   report rendered.
//! - [`target`]: the boundary, the operations both targets offer; [`targets`] picks one
//!   from `--target`: [`local`] (the pipeline in an embedded database, and the engine
//!   that runs it) or [`aws`] (real AWS or a compatible endpoint, through the SDK).
//! - [`spec`]: the desired state of a stack, shared by both targets; [`plan`]: the pure
//!   diff of desired against observed state.
//! - [`load`]: the load generator's schedule and plan; [`report`]: the report values and
//!   their renderers; [`model`] and [`dlq`]: what both targets report; [`live`]: the
//!   progress bar and Ctrl-C.
//! - [`ui`]: the page, a client of the same target operations; [`package`]: building and
//!   packaging the Lambda handlers, and the glibc check; [`lambda`]: running one locally.
//! - The order domain (model, rules, review) lives in the `order-domain` crate under
//!   `handlers/`, shared with the Lambda handlers.

pub mod aws;
pub mod cli;
pub mod commands;
pub mod config;
pub mod context;
pub mod dlq;
pub mod lambda;
pub mod live;
pub mod load;
pub mod local;
pub mod logging;
pub mod logs;
pub mod model;
pub mod package;
pub mod pattern;
pub mod plan;
pub mod report;
pub mod spec;
pub mod target;
pub mod targets;
pub mod ui;

use clap::{CommandFactory, FromArgMatches};
use std::ffi::OsString;
use std::process::ExitCode;

/// How a command that ran came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: the command ran, but what it found is negative.
    Negative,
}

/// Parses `args`, runs the command, and maps the result to the documented exit codes.
pub fn main_with_args<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let parsed = cli::Cli::command().try_get_matches_from(args).and_then(|m| cli::Cli::from_arg_matches(&m).map(|c| (c, m)));
    let (mut cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            let _ = e.print();
            // clap: 0 for --help/--version, 2 for usage errors.
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    logging::init(cli.verbose);
    let verbose = cli.verbose;
    if let Err(e) = config::apply(&mut cli, &matches) {
        eprintln!("error: {e:#}");
        return ExitCode::from(2);
    }
    match commands::run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Negative) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprint!("{}", error_text(&e, verbose > 0));
            ExitCode::from(2)
        }
    }
}

/// An error as a person reads it: each cause's message once (a cause that repeats the
/// one before is dropped), then what to do about it when that is known.
/// The whole chain, with every cause's debug form, only with `-v`.
pub fn error_text(e: &anyhow::Error, verbose: bool) -> String {
    let mut out = format!("error: {}\n", error_sentence(e));
    if let Some(hint) = targets::explain(e) {
        out.push_str(&format!("  {hint}\n"));
    }
    if verbose {
        out.push_str(&format!("\ndetails (-v):\n{e:?}\n"));
    }
    // As every log line: no secret a credentials provider handed out is ever printed.
    logging::redact(&out)
}

/// Each cause's message once, joined: the line `error_text` prints, for a report to
/// carry (the SDK's debug dump never).
pub fn error_sentence(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain() {
        let text = cause.to_string();
        // The credentials chain lists each provider it tried on lines of their own; the
        // hint below says where it looked, in one line.
        let text = text.split_once(". Attempted:").map_or(text.as_str(), |(head, _)| head).trim().trim_end_matches('.').to_string();
        if text.is_empty() || parts.last().is_some_and(|p| p.contains(&text)) {
            continue;
        }
        parts.push(text);
    }
    let mut text = parts.join(": ");
    // The SDK's words for an error response it could not read end in a debug dump or a
    // parser's complaint.
    if let Some(at) = text.find("unhandled error: Error") {
        text = format!("{}an error response that could not be read", &text[..at]);
    }
    logging::redact(&text)
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}
