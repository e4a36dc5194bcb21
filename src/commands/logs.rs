//! `orderctl logs`: the stack's function logs interleaved by time, printed as they are
//! read (with `--follow`, until Ctrl-C): one line each, coloured by function and level
//! when stdout is a terminal; JSON lines with `--output json`.

use crate::cli::LogsArgs;
use crate::context::Context;
use crate::logs::{LogEvent, LogsQuery};
use crate::Outcome;
use anyhow::Result;
use std::io::{IsTerminal, Write};

pub fn run(ctx: &Context, args: &LogsArgs) -> Result<Outcome> {
    let query = LogsQuery {
        functions: args.functions.iter().map(|&f| f.into()).collect(),
        since: Some(args.since.micros()),
        filter: args.filter.clone(),
        order_id: args.order_id.clone(),
        follow: args.follow,
    };
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() && !ctx.json();
    let json = ctx.json();
    let stack_prefix = format!("{}-", ctx.stack);
    let mut out = std::io::stdout().lock();
    let mut print = |e: &LogEvent| -> Result<()> {
        if json {
            let mut v = serde_json::to_value(e)?;
            v["line"] = if e.fields.is_null() { e.raw.clone().into() } else { e.fields.clone() };
            if let Some(fields) = v.as_object_mut() {
                fields.remove("fields");
            }
            writeln!(out, "{v}")?;
        } else {
            writeln!(out, "{}", render(e, &stack_prefix, colour))?;
        }
        Ok(())
    };
    let summary = crate::targets::open(ctx).logs(&query, &mut print, crate::live::interrupted())?;
    if let Some(note) = &summary.note {
        eprintln!("{note}");
    }
    if summary.lines == 0 && !json {
        eprintln!("no log lines in {} match", summary.sources.join(", "));
    }
    Ok(Outcome::Success)
}

/// `TIME  FUNCTION  LEVEL  message  key=value …`
pub fn render(e: &LogEvent, stack_prefix: &str, colour: bool) -> String {
    let function = e.function.strip_prefix(stack_prefix).unwrap_or(&e.function);
    let level = e.level.as_deref().unwrap_or("-");
    let mut extra = String::new();
    if let Some(fields) = e.fields.as_object() {
        for (k, v) in fields.iter().filter(|(k, _)| !["level", "message"].contains(&k.as_str())) {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            extra.push_str(&format!(" {k}={v}"));
        }
    }
    let time = order_domain::rfc3339(e.at);
    if !colour {
        return format!("{time}  {function:<17}  {level:<5}  {}{extra}", e.message);
    }
    let f = match function {
        "order-worker" => "36",
        "high-value-worker" => "35",
        _ => "34",
    };
    let l = match level {
        "error" => "31;1",
        "warn" => "33",
        _ => "0",
    };
    format!("\x1b[2m{time}\x1b[0m  \x1b[{f}m{function:<17}\x1b[0m  \x1b[{l}m{level:<5}  {}\x1b[0m\x1b[2m{extra}\x1b[0m", e.message)
}
