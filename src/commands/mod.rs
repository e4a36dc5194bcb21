//! One module per command; `run` dispatches the parsed command line to them.

pub mod config;
pub mod dlq;
pub mod down;
pub mod drain;
pub mod export;
pub mod lambda;
pub mod logs;
pub mod orders;
pub mod package;
pub mod run;
pub mod send;
pub mod smoke;
pub mod status;
pub mod trace;
pub mod ui;
pub mod up;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::target::Asked;
use crate::Outcome;
use anyhow::Result;
use serde::Serialize;
use std::io::Write;

pub fn run(cli: Cli) -> Result<Outcome> {
    if let Command::Completions { shell } = &cli.command {
        std::io::stdout().write_all(&completions(*shell))?;
        return Ok(Outcome::Success);
    }
    let ctx = Context::from_cli(&cli)?;
    match &cli.command {
        Command::Up(args) => up::run(&ctx, args),
        Command::Down => down::run(&ctx),
        Command::Status(args) => status::run(&ctx, args),
        Command::Send(args) => send::run(&ctx, args),
        Command::Run(args) => run::run(&ctx, args),
        Command::Smoke(args) => smoke::run(&ctx, args),
        Command::Drain(args) => drain::run(&ctx, args),
        Command::Orders(args) => orders::run(&ctx, args),
        Command::Trace(args) => trace::run(&ctx, args),
        Command::Logs(args) => logs::run(&ctx, args),
        Command::Dlq(cmd) => dlq::run(&ctx, cmd),
        Command::Package(args) => package::run(&ctx, args),
        Command::Export(crate::cli::ExportCommand::Cloudformation(args)) => export::run(&ctx, args),
        Command::Lambda(cmd) => lambda::run(&ctx, cmd),
        Command::Config(args) => config::run(&ctx, &cli.sources, args),
        Command::Ui(args) => ui::run(&ctx, args),
        Command::Completions { .. } => unreachable!("handled before the context is built"),
    }
}

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "orderctl", &mut out);
    out
}

/// The man page, `orderctl(1)` (roff): options, subcommands, exit codes.
pub fn man_page() -> Vec<u8> {
    use clap::CommandFactory;
    let mut out = Vec::new();
    // The version without the commit: the committed page is the same at every commit.
    clap_mangen::Man::new(Cli::command().version(env!("CARGO_PKG_VERSION"))).render(&mut out).expect("rendering into memory");
    out
}

/// Prints the report of an operation that asked first; `declined` on stderr (exit 1)
/// when the user said no.
pub fn show_asked<T: Serialize>(ctx: &Context, asked: Asked<T>, declined: &str, text: impl FnOnce(&T) -> String) -> Result<Outcome> {
    match asked {
        Asked::Declined => {
            eprintln!("{declined}");
            Ok(Outcome::Negative)
        }
        Asked::Done(report) => {
            emit(ctx, &report, || text(&report))?;
            Ok(Outcome::Success)
        }
    }
}

/// Prints a result on stdout: `value` as JSON with `--output json`, else `text()`.
pub fn emit<T: Serialize>(ctx: &Context, value: &T, text: impl FnOnce() -> String) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if ctx.json() {
        // As an I/O error, so a closed pipe (`| head`) ends the command quietly.
        serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", text())?;
    }
    out.flush()?;
    Ok(())
}
