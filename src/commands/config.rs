//! `orderctl config`: the effective configuration and where each value came from.

use super::emit;
use crate::cli::ConfigArgs;
use crate::config::{effective_settings, Source};
use crate::context::Context;
use crate::report::text::table;
use crate::Outcome;
use anyhow::Result;
use serde::Serialize;

#[derive(Serialize)]
struct ConfigReport<'a> {
    schema: &'static str,
    global: Vec<&'a Source>,
    settings: Vec<Source>,
}

pub fn run(ctx: &Context, sources: &[Source], args: &ConfigArgs) -> Result<Outcome> {
    let target = crate::targets::open(ctx);
    let settings = target.settings(&args.settings)?;
    let keys = ["stack", "target", "output", "endpoint-url", "region", "profile", "state-dir", "thresholds"];
    let report = ConfigReport {
        schema: "orderctl/config/v1",
        global: sources.iter().filter(|s| keys.contains(&s.key.as_str())).collect(),
        settings: effective_settings(sources, &settings),
    };
    emit(ctx, &report, || {
        let mut t = table(&["key", "value", "from"]);
        for s in report.global.iter().copied().chain(report.settings.iter()) {
            t.add_row(vec![s.key.clone(), if s.value.is_empty() { "–".into() } else { s.value.clone() }, s.source.clone()]);
        }
        format!("{t}\nsettings are the {} target's defaults unless a flag, the environment or `orderctl.toml` sets them\n", target.name())
    })?;
    Ok(Outcome::Success)
}
