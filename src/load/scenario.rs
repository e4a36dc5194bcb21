//! Scenario files (`scenarios/*.toml`): named stages, an order mix, how long to wait
//! for the orders to settle, and thresholds that decide the exit code. A bad file gets
//! an error naming its line and column.

use super::{Schedule, Stage};
use order_domain::Mix;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::Path;
use std::time::Duration;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    description: Option<String>,
    mix: Option<Spanned<String>>,
    wait: Option<Spanned<String>>,
    #[serde(rename = "stage", default)]
    stages: Vec<StageEntry>,
    #[serde(default)]
    thresholds: Thresholds,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StageEntry {
    name: Option<String>,
    kind: Spanned<String>,
    rate: Option<f64>,
    from: Option<f64>,
    to: Option<f64>,
    duration: Spanned<String>,
}

/// Limits on the outcome of a run; each one set and broken makes the run fail (exit 1).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Thresholds {
    /// Highest acceptable end-to-end p99, in milliseconds.
    pub p99_end_to_end_ms: Option<f64>,
    /// Highest acceptable end-to-end p50, in milliseconds.
    pub p50_end_to_end_ms: Option<f64>,
    /// Most orders that may be lost (sent, found nowhere).
    pub max_lost: Option<u64>,
    /// Most orders that may still be in flight when the wait runs out.
    pub max_in_flight: Option<u64>,
    /// Most messages the DLQ may hold at the end.
    pub max_dlq_depth: Option<u64>,
    /// The alarm state expected at the end (`OK` or `ALARM`).
    pub alarm: Option<String>,
    /// Most sends that may go out late (more than 10 ms after they were due).
    pub max_late_sends: Option<u64>,
}

impl Thresholds {
    /// These thresholds, with `defaults`' for those not set.
    pub fn or(&self, defaults: &Thresholds) -> Thresholds {
        Thresholds {
            p99_end_to_end_ms: self.p99_end_to_end_ms.or(defaults.p99_end_to_end_ms),
            p50_end_to_end_ms: self.p50_end_to_end_ms.or(defaults.p50_end_to_end_ms),
            max_lost: self.max_lost.or(defaults.max_lost),
            max_in_flight: self.max_in_flight.or(defaults.max_in_flight),
            max_dlq_depth: self.max_dlq_depth.or(defaults.max_dlq_depth),
            alarm: self.alarm.clone().or_else(|| defaults.alarm.clone()),
            max_late_sends: self.max_late_sends.or(defaults.max_late_sends),
        }
    }
}

/// A scenario, validated.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub description: Option<String>,
    pub stages: Vec<(String, Stage)>,
    pub mix: Mix,
    pub wait: Duration,
    pub thresholds: Thresholds,
}

/// A scenario file that does not parse or does not make sense, with where.
#[derive(Debug, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct ScenarioError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The 1-based line and column of byte `offset` in `source`.
pub fn position(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

impl Scenario {
    pub fn load(path: &Path) -> anyhow::Result<Scenario> {
        let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("reading `{}`: {e}", path.display()))?;
        let name = path.file_stem().map_or("scenario".into(), |s| s.to_string_lossy().into_owned());
        Ok(Scenario::parse(&name, &path.display().to_string(), &text)?)
    }

    pub fn parse(name: &str, path: &str, source: &str) -> Result<Scenario, ScenarioError> {
        let err = |span: Option<Range<usize>>, message: String| {
            let (line, column) = span.map_or((1, 1), |s| position(source, s.start));
            ScenarioError { path: path.to_string(), line, column, message }
        };
        let file: File = toml::from_str(source).map_err(|e| err(e.span(), e.message().to_string()))?;
        let duration = |s: &Spanned<String>| {
            humantime::parse_duration(s.get_ref()).map_err(|e| err(Some(s.span()), format!("`{}` is not a duration ({e})", s.get_ref())))
        };
        if file.stages.is_empty() {
            return Err(err(None, "the scenario has no `[[stage]]`".into()));
        }
        let mut stages = Vec::new();
        for (i, s) in file.stages.iter().enumerate() {
            let d = duration(&s.duration)?;
            let need = |v: Option<f64>, field: &str| {
                v.ok_or_else(|| err(Some(s.kind.span()), format!("a `{}` stage needs `{field}`", s.kind.get_ref())))
            };
            let stage = match s.kind.get_ref().as_str() {
                "constant" => Stage::Constant { rate: need(s.rate, "rate")?, duration: d },
                "ramp" => Stage::Ramp { from: need(s.from, "from")?, to: need(s.to, "to")?, duration: d },
                "pause" => Stage::Pause { duration: d },
                other => return Err(err(Some(s.kind.span()), format!("unknown stage kind `{other}` (expected constant, ramp or pause)"))),
            };
            stages.push((s.name.clone().unwrap_or_else(|| format!("stage {}", i + 1)), stage));
        }
        let only: Vec<Stage> = stages.iter().map(|(_, s)| *s).collect();
        Schedule::staged(&only).map_err(|e| err(Some(file.stages[0].kind.span()), e))?;
        let mix = match &file.mix {
            Some(m) => m.get_ref().parse::<Mix>().map_err(|e| err(Some(m.span()), format!("`mix`: {e}")))?,
            None => Mix::default(),
        };
        let wait = match &file.wait {
            Some(w) => duration(w)?,
            None => Duration::from_secs(60),
        };
        if let Some(a) = &file.thresholds.alarm {
            if a != "OK" && a != "ALARM" {
                return Err(err(None, format!("`thresholds.alarm` must be `OK` or `ALARM`, got `{a}`")));
            }
        }
        Ok(Scenario { name: name.to_string(), description: file.description, stages, mix, wait, thresholds: file.thresholds })
    }

    /// The schedule, with every duration multiplied by `time_scale` and every rate by
    /// `rate_scale` (to shorten or lighten a scenario without editing it).
    pub fn schedule(&self, time_scale: f64, rate_scale: f64) -> Result<Schedule, String> {
        let t = |d: Duration| Duration::from_secs_f64(d.as_secs_f64() * time_scale);
        let stages: Vec<Stage> = self
            .stages
            .iter()
            .map(|(_, s)| match *s {
                Stage::Constant { rate, duration } => Stage::Constant { rate: rate * rate_scale, duration: t(duration) },
                Stage::Ramp { from, to, duration } => Stage::Ramp { from: from * rate_scale, to: to * rate_scale, duration: t(duration) },
                Stage::Pause { duration } => Stage::Pause { duration: t(duration) },
            })
            .collect();
        Schedule::staged(&stages)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
description = "warm up, ramp, hold"
mix = "normal=9,fail=1"
wait = "30s"

[[stage]]
name = "warm-up"
kind = "constant"
rate = 10
duration = "2s"

[[stage]]
kind = "ramp"
from = 10
to = 50
duration = "4s"

[[stage]]
kind = "pause"
duration = "1s"

[thresholds]
p99-end-to-end-ms = 500
max-lost = 0
alarm = "ALARM"
"#;

    #[test]
    fn a_scenario_parses_into_stages_and_thresholds() {
        let s = Scenario::parse("demo", "demo.toml", GOOD).unwrap();
        assert_eq!(s.stages.len(), 3);
        assert_eq!(s.stages[0].0, "warm-up");
        assert_eq!(s.stages[1].0, "stage 2");
        assert_eq!(s.wait, Duration::from_secs(30));
        assert_eq!(s.mix.to_string(), "normal=9,fail=1");
        assert_eq!(
            (s.thresholds.p99_end_to_end_ms, s.thresholds.max_lost, s.thresholds.alarm.as_deref()),
            (Some(500.0), Some(0), Some("ALARM"))
        );
        let schedule = s.schedule(1.0, 1.0).unwrap();
        assert_eq!(schedule.len(), 20 + 120);
        assert_eq!(s.schedule(0.5, 2.0).unwrap().len(), 20 + 120, "half the time at twice the rate");
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let cases = [
            (GOOD.replace("duration = \"4s\"", "duration = \"4 fortnights\""), 16, "not a duration"),
            (GOOD.replace("kind = \"ramp\"", "kind = \"spiral\""), 13, "unknown stage kind"),
            (GOOD.replace("mix = \"normal=9,fail=1\"", "mix = \"normal=x\""), 3, "`mix`"),
            (GOOD.replace("max-lost = 0", "max-lots = 0"), 24, "unknown field"),
            (GOOD.replace("rate = 10\n", "rate = \"ten\"\n"), 9, "invalid type"),
            (GOOD.replace("from = 10\n", ""), 13, "needs `from`"),
        ];
        for (text, line, needle) in cases {
            let e = Scenario::parse("bad", "bad.toml", &text).unwrap_err();
            assert_eq!(e.line, line, "{e}");
            assert!(e.column >= 1);
            assert!(e.to_string().starts_with(&format!("bad.toml:{line}:")) && e.message.contains(needle), "{e}");
        }
        assert!(Scenario::parse("x", "x.toml", "mix = \"normal=1\"\n").unwrap_err().message.contains("no `[[stage]]`"));
    }
}
