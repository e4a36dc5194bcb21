//! `orderctl.toml`: a flag beats the environment, which beats the file, which beats the
//! default; `orderctl config` says where each value came from; a bad file is an error
//! naming its line and column.

use crate::common;

use common::{json, text};
use std::process::Command;

fn orderctl(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(common::bin());
    cmd.args(args).current_dir(dir);
    for k in ["ORDERCTL_STACK", "ORDERCTL_TARGET", "ORDERCTL_CONFIG", "ORDERCTL_BATCH_SIZE", "ORDERCTL_MAX_RECEIVE_COUNT", "AWS_REGION"] {
        cmd.env_remove(k);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn value<'a>(report: &'a serde_json::Value, section: &str, key: &str) -> (&'a str, &'a str) {
    let row = report[section].as_array().unwrap().iter().find(|r| r["key"] == key).unwrap_or_else(|| panic!("{key} in {report}"));
    (row["value"].as_str().unwrap(), row["source"].as_str().unwrap())
}

#[test]
fn flags_beat_the_environment_which_beats_the_file_which_beats_the_default() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("orderctl.toml"),
        "stack = \"demo\"\nregion = \"eu-west-1\"\n\n[settings]\nmax-receive-count = 5\nbatch-size = 4\nconcurrency = 2\nvisibility-timeout = \"6s\"\n",
    )
    .unwrap();
    let out = orderctl(dir.path(), &["config", "-o", "json", "--concurrency", "3"], &[("ORDERCTL_BATCH_SIZE", "7")]);
    assert_eq!(out.status.code(), Some(0), "{:?}", text(&out));
    let r = json(&out);
    assert_eq!(value(&r, "global", "stack"), ("demo", "orderctl.toml"));
    assert_eq!(value(&r, "global", "region"), ("eu-west-1", "orderctl.toml"));
    assert_eq!(value(&r, "global", "target"), ("local", "default"));
    assert_eq!(value(&r, "settings", "max-receive-count"), ("5", "orderctl.toml"));
    assert_eq!(value(&r, "settings", "batch-size"), ("7", "env ORDERCTL_BATCH_SIZE"));
    assert_eq!(value(&r, "settings", "concurrency"), ("3", "flag"));
    assert_eq!(value(&r, "settings", "visibility-timeout"), ("6s", "orderctl.toml"));
    assert_eq!(value(&r, "settings", "threshold"), ("10000", "default"));

    // The environment beats the file for a global value too, and the file's stack is used.
    let r = json(&orderctl(dir.path(), &["config", "-o", "json"], &[("ORDERCTL_STACK", "fromenv")]));
    assert_eq!(value(&r, "global", "stack"), ("fromenv", "env ORDERCTL_STACK"));
    assert_eq!(orderctl(dir.path(), &["up"], &[]).status.code(), Some(0));
    assert!(dir.path().join(".orderctl/demo/state.db").exists(), "`up` used the file's stack");
    let status = json(&orderctl(dir.path(), &["status", "-o", "json"], &[]));
    assert_eq!(status["stack"], "demo");
}

#[test]
fn a_bad_file_is_an_error_with_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    for (text_, needle) in [
        ("stack = \"x\"\nbogus = 1\n", "orderctl.toml:2:1: unknown field `bogus`"),
        ("target = \"mars\"\n", "orderctl.toml:1:10: target `mars` is not `local` or `aws`"),
        ("[settings]\nvisibility-timeout = \"soon\"\n", "orderctl.toml:2:22: `soon` is not a duration"),
        ("[settings]\nbatch-size = \"ten\"\n", "orderctl.toml:2:14:"),
    ] {
        std::fs::write(dir.path().join("orderctl.toml"), text_).unwrap();
        let out = orderctl(dir.path(), &["status"], &[]);
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(needle), "{needle} in {stderr}");
    }
    std::fs::remove_file(dir.path().join("orderctl.toml")).unwrap();
    let missing = orderctl(dir.path(), &["config"], &[("ORDERCTL_CONFIG", "nowhere.toml")]);
    assert_eq!(missing.status.code(), Some(2), "a file named explicitly must exist");
}

#[test]
fn the_files_thresholds_apply_to_every_load_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("orderctl.toml"), "[thresholds]\nmax-dlq-depth = 0\n").unwrap();
    assert_eq!(orderctl(dir.path(), &["up"], &[]).status.code(), Some(0));
    let clean = orderctl(dir.path(), &["send", "--normal", "--count", "5", "--rate", "100", "-o", "json"], &[]);
    assert_eq!(clean.status.code(), Some(0), "{:?}", text(&clean));
    let failing = orderctl(dir.path(), &["send", "--fail", "--count", "2", "--rate", "100", "-o", "json"], &[]);
    assert_eq!(failing.status.code(), Some(1), "a DLQ holding messages breaks `max-dlq-depth = 0`");
    let r = json(&failing);
    let broken: Vec<&serde_json::Value> = r["thresholds"].as_array().unwrap().iter().filter(|t| t["passed"] == false).collect();
    assert_eq!(broken.len(), 1, "{}", r["thresholds"]);
    let shown = json(&orderctl(dir.path(), &["config", "-o", "json"], &[]));
    assert_eq!(value(&shown, "global", "thresholds").1, "orderctl.toml");
}
