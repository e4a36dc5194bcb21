//! The validated settings a command runs with, made from the raw command line.

use crate::cli::{Cli, OutputFormat, SettingsArgs, TargetKind};
use crate::spec::{validate_stack_name, Settings};
use anyhow::{bail, Result};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Context {
    pub stack: String,
    pub target: TargetKind,
    pub output: OutputFormat,
    pub yes: bool,
    pub state_dir: PathBuf,
    /// For the `aws` target: an AWS-compatible endpoint instead of AWS's own.
    pub endpoint_url: Option<String>,
    /// `endpoint_url` is `AWS_ENDPOINT_URL`'s: each service's own setting may win.
    pub endpoint_url_from_env: bool,
    pub region: Option<String>,
    pub profile: Option<String>,
    /// Whether stdin and stderr are terminals, so a prompt can be answered.
    pub interactive: bool,
    /// Thresholds every load run checks unless its scenario sets them (`orderctl.toml`).
    pub thresholds: crate::load::scenario::Thresholds,
}

impl Context {
    pub fn from_cli(cli: &Cli) -> Result<Context> {
        if let Err(e) = validate_stack_name(&cli.stack) {
            bail!("`--stack`: {e}");
        }
        Ok(Context {
            stack: cli.stack.clone(),
            target: cli.target,
            output: cli.output,
            yes: cli.yes,
            state_dir: cli.state_dir.clone(),
            endpoint_url: cli.endpoint_url.clone(),
            endpoint_url_from_env: cli.endpoint_url_from_env,
            region: cli.region.clone(),
            profile: cli.profile.clone(),
            interactive: std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
            thresholds: cli.thresholds.clone(),
        })
    }

    pub fn json(&self) -> bool {
        self.output == OutputFormat::Json
    }

    /// Pipeline settings: a target's defaults `base` with the flags applied, validated
    /// (`Target::settings` adds the target's own limits).
    pub fn apply_settings(&self, base: Settings, args: &SettingsArgs) -> Result<Settings> {
        let mut s = base;
        // Saturating: a duration past u64 milliseconds is refused below as too long,
        // never wrapped into a valid one.
        let ms = |d: std::time::Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        if let Some(v) = args.max_receive_count {
            s.max_receive_count = v;
        }
        if let Some(v) = args.function_timeout {
            s.function_timeout_ms = ms(v);
            if args.visibility_timeout.is_none() {
                // Keep AWS's rule by default: visibility ≥ 6 × timeout.
                s.visibility_timeout_ms = s.visibility_timeout_ms.max(s.function_timeout_ms.saturating_mul(6));
            }
        }
        if let Some(v) = args.visibility_timeout {
            s.visibility_timeout_ms = ms(v);
        }
        if let Some(v) = args.batch_size {
            s.batch_size = v;
        }
        if let Some(v) = args.batching_window {
            s.batching_window_ms = ms(v);
        }
        if let Some(v) = args.concurrency {
            s.max_concurrency = v;
        }
        if let Some(v) = args.threshold {
            s.high_value_threshold = v;
        }
        if let Some(v) = args.alarm_period {
            s.alarm_period_ms = ms(v);
        }
        if let Some(v) = args.log_retention {
            s.log_retention_days = v;
        }
        if let Some(v) = &args.alert_email {
            if !v.contains('@') || v.starts_with('@') || v.ends_with('@') {
                bail!("`--alert-email`: `{v}` is not an e-mail address");
            }
            s.alert_email = Some(v.clone());
        }
        if args.disable_mappings {
            s.mappings_enabled = false;
        }
        s.validate().map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(s)
    }

    /// Asks `question` at a terminal; `--yes` answers for the user. Without a terminal
    /// and without `--yes` it refuses rather than act unasked.
    pub fn confirm(&self, question: &str) -> Result<bool> {
        if self.yes {
            return Ok(true);
        }
        if !self.interactive {
            bail!("not confirmed: {question} (there is no terminal to ask at; pass `--yes` to go ahead)");
        }
        eprint!("{question} [y/N] ");
        std::io::stderr().flush()?;
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
    }
}
