//! The optional `orderctl.toml` of the working directory (or `ORDERCTL_CONFIG`): the
//! stack, target, AWS location and pipeline settings a project always uses. A flag
//! beats an `ORDERCTL_*` (or `AWS_*`) environment variable, which beats the file, which
//! beats the built-in default; [`apply`] records where each value came from, and
//! `orderctl config` prints it.

pub use crate::cli::Source;
use crate::cli::{Cli, Command, OutputFormat, TargetKind};
use crate::load::scenario::position;
use anyhow::{anyhow, Result};
use clap::parser::ValueSource;
use clap::{ArgMatches, ValueEnum};
use serde::Deserialize;
use std::path::PathBuf;
use std::time::Duration;
use toml::Spanned;

pub const FILE: &str = "orderctl.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    stack: Option<Spanned<String>>,
    target: Option<Spanned<String>>,
    output: Option<Spanned<String>>,
    region: Option<String>,
    profile: Option<String>,
    endpoint_url: Option<String>,
    state_dir: Option<PathBuf>,
    #[serde(default)]
    settings: FileSettings,
    /// Defaults for every `send` and `run` (a scenario's own thresholds win).
    #[serde(default)]
    thresholds: crate::load::scenario::Thresholds,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FileSettings {
    max_receive_count: Option<u32>,
    visibility_timeout: Option<Spanned<String>>,
    function_timeout: Option<Spanned<String>>,
    batch_size: Option<u32>,
    batching_window: Option<Spanned<String>>,
    concurrency: Option<u32>,
    threshold: Option<f64>,
    alarm_period: Option<Spanned<String>>,
    log_retention: Option<u32>,
    alert_email: Option<String>,
    disable_mappings: Option<bool>,
}

fn path() -> PathBuf {
    std::env::var_os("ORDERCTL_CONFIG").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(FILE))
}

fn load() -> Result<Option<(String, File)>> {
    let path = path();
    let explicit = std::env::var_os("ORDERCTL_CONFIG").is_some();
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => return Ok(None),
        Err(e) => return Err(anyhow!("reading `{}`: {e}", path.display())),
    };
    let name = path.display().to_string();
    Ok(Some((name.clone(), parse(&name, &text)?)))
}

/// Checks a configuration text as `orderctl` would read it from `name`.
pub fn check(name: &str, text: &str) -> Result<()> {
    parse(name, text).map(|_| ())
}

fn parse(name: &str, text: &str) -> Result<File> {
    let file: File = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| position(text, s.start));
        anyhow!("{name}:{line}:{column}: {}", e.message())
    })?;
    // Values are checked where they are used; these are checked here, with where.
    let at = |s: &Spanned<String>, message: String| {
        let (line, column) = position(text, s.span().start);
        anyhow!("{name}:{line}:{column}: {message}")
    };
    for d in
        [&file.settings.visibility_timeout, &file.settings.function_timeout, &file.settings.batching_window, &file.settings.alarm_period]
            .into_iter()
            .flatten()
    {
        humantime::parse_duration(d.get_ref()).map_err(|e| at(d, format!("`{}` is not a duration ({e})", d.get_ref())))?;
    }
    if let Some(t) = &file.target {
        TargetKind::from_str(t.get_ref(), true).map_err(|_| at(t, format!("target `{}` is not `local` or `aws`", t.get_ref())))?;
    }
    if let Some(o) = &file.output {
        OutputFormat::from_str(o.get_ref(), true).map_err(|_| at(o, format!("output `{}` is not `text` or `json`", o.get_ref())))?;
    }
    Ok(file)
}

fn duration(s: &Spanned<String>) -> Duration {
    humantime::parse_duration(s.get_ref()).expect("checked when the file was read")
}

/// Fills in from `orderctl.toml` what neither a flag nor the environment gave, and
/// records where every value came from in `cli.sources`.
pub fn apply(cli: &mut Cli, matches: &ArgMatches) -> Result<()> {
    let loaded = load()?;
    let (file_name, file) = match &loaded {
        Some((n, f)) => (n.as_str(), Some(f)),
        None => ("", None),
    };
    let mut sources = Vec::new();
    let given = |m: &ArgMatches, id: &str| -> Option<String> {
        match m.value_source(id) {
            Some(ValueSource::CommandLine) => Some("flag".into()),
            Some(ValueSource::EnvVariable) => Some(env_name(id).map_or("environment".into(), |e| format!("env {e}"))),
            _ => None,
        }
    };
    macro_rules! global {
        ($id:literal, $field:expr, $from_file:expr, $show:expr) => {{
            let source = match given(matches, $id) {
                Some(s) => s,
                None => match $from_file {
                    Some(v) => {
                        $field = v;
                        file_name.to_string()
                    }
                    None => "default".to_string(),
                },
            };
            sources.push(Source { key: $id.replace('_', "-"), value: $show, source });
        }};
    }
    let f = file;
    global!("stack", cli.stack, f.and_then(|f| f.stack.as_ref()).map(|s| s.get_ref().clone()), cli.stack.clone());
    global!(
        "target",
        cli.target,
        f.and_then(|f| f.target.as_ref()).map(|t| TargetKind::from_str(t.get_ref(), true).expect("checked")),
        format!("{:?}", cli.target).to_lowercase()
    );
    global!(
        "output",
        cli.output,
        f.and_then(|f| f.output.as_ref()).map(|o| OutputFormat::from_str(o.get_ref(), true).expect("checked")),
        format!("{:?}", cli.output).to_lowercase()
    );
    global!(
        "endpoint_url",
        cli.endpoint_url,
        f.and_then(|f| f.endpoint_url.clone()).map(Some),
        cli.endpoint_url.clone().unwrap_or_default()
    );
    cli.endpoint_url_from_env = matches.value_source("endpoint_url") == Some(ValueSource::EnvVariable);
    global!("region", cli.region, f.and_then(|f| f.region.clone()).map(Some), cli.region.clone().unwrap_or_default());
    global!("profile", cli.profile, f.and_then(|f| f.profile.clone()).map(Some), cli.profile.clone().unwrap_or_default());
    global!("state_dir", cli.state_dir, f.and_then(|f| f.state_dir.clone()), cli.state_dir.display().to_string());
    if let Some(f) = f {
        cli.thresholds = f.thresholds.clone();
        if f.thresholds != Default::default() {
            let value = serde_json::to_string(&f.thresholds).unwrap_or_default();
            sources.push(Source { key: "thresholds".into(), value, source: file_name.to_string() });
        }
    }

    let (settings, sub) = match (&mut cli.command, matches.subcommand()) {
        (Command::Up(a), Some((_, m))) => (&mut a.deploy.settings, m),
        (Command::Smoke(a), Some((_, m))) => (&mut a.deploy.settings, m),
        (Command::Status(a), Some((_, m))) => (&mut a.settings, m),
        (Command::Config(a), Some((_, m))) => (&mut a.settings, m),
        _ => {
            cli.sources = sources;
            return Ok(());
        }
    };
    let fs = f.map(|f| &f.settings);
    macro_rules! setting {
        ($id:literal, $field:expr, $from_file:expr) => {{
            let source = match given(sub, $id) {
                Some(s) => Some(s),
                None => match ($field.is_none(), $from_file) {
                    (true, Some(v)) => {
                        $field = Some(v);
                        Some(file_name.to_string())
                    }
                    _ => None,
                },
            };
            if let Some(source) = source {
                sources.push(Source { key: $id.replace('_', "-"), value: String::new(), source });
            }
        }};
    }
    setting!("max_receive_count", settings.max_receive_count, fs.and_then(|s| s.max_receive_count));
    setting!("visibility_timeout", settings.visibility_timeout, fs.and_then(|s| s.visibility_timeout.as_ref()).map(duration));
    setting!("function_timeout", settings.function_timeout, fs.and_then(|s| s.function_timeout.as_ref()).map(duration));
    setting!("batch_size", settings.batch_size, fs.and_then(|s| s.batch_size));
    setting!("batching_window", settings.batching_window, fs.and_then(|s| s.batching_window.as_ref()).map(duration));
    setting!("concurrency", settings.concurrency, fs.and_then(|s| s.concurrency));
    setting!("threshold", settings.threshold, fs.and_then(|s| s.threshold));
    setting!("alarm_period", settings.alarm_period, fs.and_then(|s| s.alarm_period.as_ref()).map(duration));
    setting!("log_retention", settings.log_retention, fs.and_then(|s| s.log_retention));
    setting!("alert_email", settings.alert_email, fs.and_then(|s| s.alert_email.clone()));
    if given(sub, "disable_mappings").is_some() {
        sources.push(Source { key: "disable-mappings".into(), value: String::new(), source: "flag".into() });
    } else if let Some(true) = fs.and_then(|s| s.disable_mappings) {
        settings.disable_mappings = true;
        sources.push(Source { key: "disable-mappings".into(), value: String::new(), source: file_name.to_string() });
    }
    cli.sources = sources;
    Ok(())
}

/// The environment variable clap reads for an argument.
fn env_name(id: &str) -> Option<String> {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let find = |c: &clap::Command| {
        c.get_arguments().find(|a| a.get_id() == id).and_then(|a| a.get_env()).map(|e| e.to_string_lossy().into_owned())
    };
    find(&cmd).or_else(|| cmd.get_subcommands().find_map(find))
}

/// The effective value of every setting, for `orderctl config`: the target's defaults
/// under what the flags, environment and file set.
pub fn effective_settings(sources: &[Source], settings: &crate::spec::Settings) -> Vec<Source> {
    let fmt = crate::spec::fmt_ms;
    let rows = [
        ("max-receive-count", settings.max_receive_count.to_string()),
        ("visibility-timeout", fmt(settings.visibility_timeout_ms)),
        ("function-timeout", fmt(settings.function_timeout_ms)),
        ("batch-size", settings.batch_size.to_string()),
        ("batching-window", fmt(settings.batching_window_ms)),
        ("concurrency", settings.max_concurrency.to_string()),
        ("threshold", settings.high_value_threshold.to_string()),
        ("alarm-period", fmt(settings.alarm_period_ms)),
        ("log-retention", format!("{} days", settings.log_retention_days)),
        ("alert-email", settings.alert_email.clone().unwrap_or_default()),
        ("disable-mappings", (!settings.mappings_enabled).to_string()),
    ];
    rows.into_iter()
        .map(|(key, value)| Source {
            key: key.into(),
            value,
            source: sources.iter().find(|s| s.key == key).map_or("default".into(), |s| s.source.clone()),
        })
        .collect()
}
