//! `orderctl lambda invoke | mappings`: the packaged handlers, run on this machine.

use super::emit;
use crate::cli::LambdaCommand;
use crate::context::Context;
use crate::Outcome;
use anyhow::{bail, Context as _, Result};
use serde_json::{json, Value};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub fn run(ctx: &Context, cmd: &LambdaCommand) -> Result<Outcome> {
    match cmd {
        LambdaCommand::Invoke { handler, event, zip, env, timeout } => invoke(ctx, handler, event, zip.as_deref(), env, *timeout),
        LambdaCommand::Mappings { zips, idle, timeout } => {
            let report = crate::aws::emulate::mappings(ctx, zips, *idle, *timeout)?;
            emit(ctx, &report, || {
                let mut out: String = report
                    .mappings
                    .iter()
                    .map(|(q, s)| {
                        format!(
                            "`{q}`: {} invocations, {} records, {} deleted, {} record failures, {} function errors, {} timeouts\n",
                            s.invocations, s.records, s.deleted, s.record_failures, s.function_errors, s.timeouts
                        )
                    })
                    .collect();
                if let Some(p) = &report.pipe {
                    out.push_str(&format!("pipe: {} stream records, {} matched the filter, {} sent\n", p.records, p.matched, p.sent));
                }
                out
            })?;
            Ok(Outcome::Success)
        }
    }
}

fn invoke(ctx: &Context, handler: &str, event: &Path, zip: Option<&Path>, env: &[String], timeout: Duration) -> Result<Outcome> {
    let zip = zip.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from(format!("target/lambda/{handler}-x86_64.zip")));
    let mut text = String::new();
    if event == Path::new("-") {
        std::io::stdin().read_to_string(&mut text)?;
    } else {
        text = std::fs::read_to_string(event).with_context(|| format!("reading `{}`", event.display()))?;
    }
    let payload: Value = serde_json::from_str(&text).with_context(|| format!("`{}` is not JSON", event.display()))?;
    let mut environment = crate::lambda::aws_environment();
    for pair in env {
        let Some((k, v)) = pair.split_once('=') else { bail!("`--env {pair}` is not NAME=VALUE") };
        environment.push((k.to_string(), v.to_string()));
    }
    let scratch = tempfile::tempdir()?;
    let mut function = crate::lambda::start(handler, &zip, environment, timeout, scratch.path())?;
    let outcome = function.invoke(&payload)?;
    let log = std::fs::read_to_string(scratch.path().join(format!("{handler}.log"))).unwrap_or_default();
    let report = match &outcome {
        Ok(response) => {
            json!({"ok": true, "response": response, "coldStartMs": function.last_cold_start.map(|d| d.as_secs_f64() * 1000.0), "log": log})
        }
        Err(e) => json!({"ok": false, "error": e.to_string(), "log": log}),
    };
    emit(ctx, &report, || match &outcome {
        Ok(response) => format!("{log}{}\n", serde_json::to_string_pretty(response).unwrap_or_default()),
        Err(e) => format!("{log}invocation failed: {e}\n"),
    })?;
    Ok(if outcome.is_ok() { Outcome::Success } else { Outcome::Negative })
}
