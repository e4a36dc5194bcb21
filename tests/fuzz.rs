//! Bad input never panics: random command lines, `orderctl.toml` files and scenario files
//! (and near-misses of valid ones) are either accepted or rejected with an error — for
//! files, one that names a line and column. `PROPTEST_CASES=50000 cargo test --release
//! --test suite fuzz::` runs a longer campaign.

use clap::Parser;
use orderctl::cli::Cli;
use orderctl::load::scenario::Scenario;
use proptest::prelude::*;

/// Valid pieces to build near-misses from.
const WORDS: &[&str] = &[
    "up",
    "down",
    "status",
    "send",
    "run",
    "drain",
    "dlq",
    "inspect",
    "redrive",
    "purge",
    "smoke",
    "config",
    "package",
    "lambda",
    "--rate",
    "--count",
    "--duration",
    "--mix",
    "--kind",
    "--wait",
    "--limit",
    "--order-id",
    "--filter",
    "--set-notes",
    "--watch",
    "--max-receive-count",
    "--visibility-timeout",
    "--function-timeout",
    "--batch-size",
    "--concurrency",
    "--threshold",
    "--target",
    "aws",
    "local",
    "-o",
    "json",
    "--yes",
    "--stack",
    "0",
    "-1",
    "1e309",
    "NaN",
    "10s",
    "0s",
    "normal=8,fail=1",
    "high-value",
    "fail",
    "x",
    "",
    "=",
    "🦀",
];

const TOML_LINES: &[&str] = &[
    "stack = \"demo\"",
    "target = \"aws\"",
    "target = 3",
    "[settings]",
    "max-receive-count = 5",
    "max-receive-count = -1",
    "visibility-timeout = \"6s\"",
    "visibility-timeout = \"soon\"",
    "threshold = 1e400",
    "[thresholds]",
    "max-lost = 0",
    "p99-end-to-end-ms = \"fast\"",
    "[[stage]]",
    "kind = \"constant\"",
    "kind = \"ramp\"",
    "rate = 100",
    "from = 1",
    "to = 0",
    "duration = \"1s\"",
    "duration = \"-1s\"",
    "name = \"x\"",
    "mix = \"normal=1\"",
    "mix = \"normal=0\"",
    "wait = \"2s\"",
    "[",
    "= =",
    "\"unterminated",
    "stack = \"\\u{0}\"",
];

/// Settings flags, and values for them at and past every limit (with some that overflow
/// a millisecond count, or six of them).
const SETTINGS_FLAGS: &[&str] = &[
    "--max-receive-count",
    "--visibility-timeout",
    "--function-timeout",
    "--batch-size",
    "--batching-window",
    "--concurrency",
    "--threshold",
    "--alarm-period",
    "--log-retention",
    "--alert-email",
];
const SETTINGS_VALUES: &[&str] = &[
    "0",
    "1",
    "5",
    "10",
    "11",
    "1000",
    "1001",
    "10000",
    "4294967295",
    "-1",
    "1e309",
    "NaN",
    "0s",
    "99ms",
    "100ms",
    "1s",
    "1500ms",
    "6s",
    "15m",
    "15m 1ms",
    "5m",
    "12h",
    "12h 1s",
    "3074457345618258603ms",
    "18446744073709551615s",
    "18446744073709552s", // 2^64 ms and 384 ms: wrapped, a valid function timeout
    "584542046090y",
    "a@b",
    "@b",
];

proptest! {
    /// Past clap: the flags a command accepts go through `Context` and each target's
    /// `Settings::validate` (and the aws target's own limits), where the cross-flag
    /// rules and the arithmetic are (`6 × function timeout`).
    #[test]
    fn any_settings_are_applied_or_refused_on_both_targets(
        pairs in prop::collection::vec((prop::sample::select(SETTINGS_FLAGS), prop::sample::select(SETTINGS_VALUES)), 0..6)
    ) {
        let mut args = vec!["orderctl", "config"];
        for (flag, value) in &pairs {
            args.extend([*flag, *value]);
        }
        if let Ok(cli) = Cli::try_parse_from(&args) {
            let orderctl::cli::Command::Config(config) = &cli.command else { panic!("{args:?} is `config`") };
            let ctx = orderctl::context::Context::from_cli(&cli).unwrap();
            for (target, base) in [("local", orderctl::spec::Settings::local()), ("aws", orderctl::spec::Settings::aws())] {
                if let Ok(settings) = ctx.apply_settings(base, &config.settings) {
                    prop_assert!(settings.validate().is_ok(), "{target}: {args:?}");
                    // What was accepted is what was asked, not a wrapped-around value.
                    for (flag, value) in &pairs {
                        let applied = match *flag {
                            "--function-timeout" => settings.function_timeout_ms,
                            "--visibility-timeout" => settings.visibility_timeout_ms,
                            "--batching-window" => settings.batching_window_ms,
                            "--alarm-period" => settings.alarm_period_ms,
                            _ => continue,
                        };
                        let asked = humantime::parse_duration(value).unwrap().as_millis();
                        prop_assert_eq!(applied as u128, asked, "{}: {} {}", target, flag, value);
                    }
                    prop_assert!(settings.visibility_timeout_ms >= 6 * settings.function_timeout_ms, "{target}: {args:?} → {settings:?}");
                    if target == "aws" {
                        let _ = orderctl::aws::desired::check_settings(&settings);
                    }
                }
            }
        }
    }

    #[test]
    fn any_command_line_parses_or_is_refused(args in prop::collection::vec(prop::sample::select(WORDS), 0..8)) {
        let _ = Cli::try_parse_from(std::iter::once("orderctl").chain(args.iter().copied()));
    }

    #[test]
    fn random_bytes_as_arguments_do_not_panic(args in prop::collection::vec(".{0,12}", 0..6)) {
        let _ = Cli::try_parse_from(std::iter::once("orderctl".to_string()).chain(args));
    }

    #[test]
    fn config_files_parse_or_name_a_line(lines in prop::collection::vec(prop::sample::select(TOML_LINES), 0..10), noise in ".{0,40}") {
        let mut text = lines.join("\n");
        text.push('\n');
        text.push_str(&noise);
        if let Err(e) = orderctl::config::check("orderctl.toml", &text) {
            prop_assert!(e.to_string().starts_with("orderctl.toml:"), "{e}");
        }
    }

    #[test]
    fn scenario_files_parse_or_name_a_line(lines in prop::collection::vec(prop::sample::select(TOML_LINES), 0..14), noise in ".{0,40}") {
        let mut text = lines.join("\n");
        text.push('\n');
        text.push_str(&noise);
        match Scenario::parse("fuzz", "fuzz.toml", &text) {
            Err(e) => prop_assert!(e.to_string().starts_with("fuzz.toml:"), "{e}"),
            Ok(s) => drop(s.schedule(1.0, 1.0)),
        }
    }
}

/// What the settings fuzz found: `--function-timeout 18446744073709551615s` panicked
/// (`6 ×` overflowed), a duration just past 2^64 ms wrapped into a valid 384 ms, and an
/// alarm period of that length was accepted.
#[test]
fn durations_past_u64_milliseconds_are_refused_not_wrapped() {
    for (flag, value) in [
        ("--function-timeout", "18446744073709552s"),
        ("--function-timeout", "18446744073709551615s"),
        ("--visibility-timeout", "18446744073709552s"),
        ("--alarm-period", "18446744073709551615s"),
        ("--alarm-period", "25h"),
    ] {
        let cli = Cli::try_parse_from(["orderctl", "config", flag, value]).unwrap();
        let orderctl::cli::Command::Config(config) = &cli.command else { unreachable!() };
        let ctx = orderctl::context::Context::from_cli(&cli).unwrap();
        for base in [orderctl::spec::Settings::local(), orderctl::spec::Settings::aws()] {
            let refused = ctx.apply_settings(base, &config.settings).expect_err(&format!("{flag} {value} is refused"));
            assert!(refused.to_string().contains("at most"), "{flag} {value}: {refused}");
        }
    }
}
