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

proptest! {
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
