//! Every scenario in `scenarios/` runs on the local target, shortened with
//! `--time-scale` and `--rate-scale`, and its thresholds decide the exit code.

use crate::common;

use common::{orderctl, text};
use orderctl::load::scenario::Scenario;
use serde_json::Value;
use std::path::PathBuf;

fn scenarios() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "toml")).collect();
    files.sort();
    files
}

#[test]
fn the_five_documented_scenarios_are_shipped() {
    let names: Vec<String> = scenarios().iter().map(|p| p.file_stem().unwrap().to_string_lossy().into_owned()).collect();
    for want in ["smoke", "steady", "ramp", "spike", "soak"] {
        assert!(names.contains(&want.to_string()), "scenarios/{want}.toml is missing: {names:?}");
    }
    for path in scenarios() {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# "), "{} is documented at its top", path.display());
        Scenario::load(&path).unwrap_or_else(|e| panic!("{e:#}"));
    }
}

#[test]
fn every_scenario_runs_shortened_and_passes_its_thresholds() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for path in scenarios() {
        // A fresh stack each, so one scenario's DLQ does not count against the next.
        assert_eq!(orderctl(d, &["down", "--yes"]).status.code(), Some(0));
        assert_eq!(orderctl(d, &["up"]).status.code(), Some(0));
        let scenario = Scenario::load(&path).unwrap();
        let full = scenario.schedule(1.0, 1.0).unwrap();
        // About 3 seconds and at most ~600 orders.
        let time_scale = (3.0 / full.duration().as_secs_f64()).min(1.0);
        let orders_at_time_scale = full.len() as f64 * time_scale;
        let rate_scale = (600.0 / orders_at_time_scale).min(1.0);
        let out = orderctl(
            d,
            &[
                "run",
                path.to_str().unwrap(),
                "--time-scale",
                &format!("{time_scale:.6}"),
                "--rate-scale",
                &format!("{rate_scale:.6}"),
                "-o",
                "json",
            ],
        );
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(0), "{}: {stderr}\n{stdout}", path.display());
        let report: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(report["requested"]["scenario"], scenario.name.as_str());
        assert!(!report["thresholds"].as_array().unwrap().is_empty(), "{} has thresholds", path.display());
        assert!(report["thresholds"].as_array().unwrap().iter().all(|t| t["passed"] == true), "{report}");
        assert_eq!(report["total"]["lost"], 0);
    }
}

#[test]
fn a_broken_threshold_exits_1_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(orderctl(d, &["up"]).status.code(), Some(0));
    let smoke = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/smoke.toml");
    let out = orderctl(d, &["run", smoke.to_str().unwrap(), "--time-scale", "0.2", "--p99-ms", "0.001"]);
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("threshold broken: p99 end-to-end"), "{stdout}");
    assert!(stdout.contains("FAIL"), "{stdout}");
}

#[test]
fn a_bad_scenario_file_gets_its_line_and_column_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_eq!(orderctl(d, &["up"]).status.code(), Some(0));
    let bad = d.join("bad.toml");
    std::fs::write(&bad, "mix = \"normal=1\"\n\n[[stage]]\nkind = \"constant\"\nrate = 10\nduration = \"soon\"\n").unwrap();
    let out = orderctl(d, &["run", bad.to_str().unwrap()]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("bad.toml:6:12") && stderr.contains("not a duration"), "{stderr}");
}
