//! The architecture invariants of ARCHITECTURE.md, checked on the source so they stay
//! true: imports between the crate's top-level modules point one way (no cycles), only
//! `src/aws/` speaks to the AWS SDK, only `src/local/` touches the local database,
//! `src/commands/` never picks a target, the page knows neither target, and the order
//! domain crate depends on no SDK, CLI or terminal crate.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    out.sort();
    assert!(out.len() > 10, "found the sources under {}", dir.display());
    out
}

/// The code of a file without comments and without its `#[cfg(test)]` part (tests may
/// reach anywhere).
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap();
    text.lines().map(|l| l.split("//").next().unwrap()).collect::<Vec<_>>().join("\n")
}

/// `src/aws/send.rs` → `["aws", "send"]`; `src/aws/mod.rs` → `["aws"]`; `lib.rs` → `[]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib" || p == "main") {
        parts.pop();
    }
    parts
}

/// The paths a file names through `crate::` and `super::`, as module paths from the
/// crate root (`use crate::{a, b::c}` names `a` and `b::c`).
fn named_paths(module: &[String], code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (prefix, base) in [("crate::", Vec::new()), ("super::", parent(module))] {
        let mut rest = code;
        while let Some(i) = rest.find(prefix) {
            let before = rest[..i].chars().last();
            rest = &rest[i + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue; // `mycrate::` or `x::crate::`, not `crate::`
            }
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    out.push(base.iter().cloned().chain(path_of(item.trim())).collect());
                }
            } else {
                out.push(base.iter().cloned().chain(path_of(rest)).collect());
            }
        }
    }
    out
}

/// `super` of `a::b` is `a`, whether `b` is `a/b.rs` or `a/b/mod.rs`.
fn parent(module: &[String]) -> Vec<String> {
    module[..module.len().saturating_sub(1)].to_vec()
}

/// The leading `a::b::c` of `text`.
fn path_of(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = text;
    loop {
        let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        parts.push(rest[..end].to_string());
        match rest[end..].strip_prefix("::") {
            Some(r) if r.starts_with(|c: char| c.is_alphanumeric() || c == '_') => rest = r,
            _ => break,
        }
    }
    parts
}

/// Imports between the top-level modules of `src/`: module → the modules it names.
fn top_level_imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(ROOT).join("src");
    let files = sources(&src);
    let tops: BTreeSet<String> = files.iter().filter_map(|(f, _)| module_of(&src, f).first().cloned()).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, text) in &files {
        let module = module_of(&src, file);
        let Some(from) = module.first().cloned() else { continue }; // lib.rs / main.rs
        for path in named_paths(&module, &code(text)) {
            if let Some(to) = path.first().filter(|t| tops.contains(*t) && **t != from) {
                edges.entry(from.clone()).or_default().insert(to.clone());
            }
        }
    }
    edges
}

/// The cycles of a graph (its strongly connected components of more than one node).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let reach = |from: &str| {
        let (mut seen, mut todo) = (BTreeSet::new(), vec![from.to_string()]);
        while let Some(n) = todo.pop() {
            for m in edges.get(&n).into_iter().flatten() {
                if seen.insert(m.clone()) {
                    todo.push(m.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&String, BTreeSet<String>> = edges.keys().map(|k| (k, reach(k))).collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    for (a, from_a) in &reachable {
        let mut component: Vec<String> =
            from_a.iter().filter(|b| reachable.get(b).is_some_and(|from_b| from_b.contains(*a))).cloned().collect();
        if component.len() > 1 {
            component.sort();
            if !out.contains(&component) {
                out.push(component);
            }
        }
    }
    out
}

#[test]
fn imports_between_top_level_modules_point_one_way() {
    let edges = top_level_imports();
    // The graph is read right: these imports exist, so a broken reader cannot pass.
    for (from, to) in [("commands", "targets"), ("targets", "local"), ("targets", "aws"), ("local", "target"), ("aws", "target")] {
        assert!(edges.get(from).is_some_and(|t| t.contains(to)), "{from} → {to} was not found: {edges:#?}");
    }
    let found = cycles(&edges);
    assert!(found.is_empty(), "import cycles between modules: {found:?}\nimports: {edges:#?}");
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (a, b) in [("cli", "config"), ("config", "cli"), ("config", "spec")] {
        edges.entry(a.into()).or_default().insert(b.into());
    }
    assert_eq!(cycles(&edges), vec![vec!["cli".to_string(), "config".to_string()]]);
}

#[test]
fn the_import_reader_resolves_groups_and_super() {
    let module = vec!["aws".to_string(), "send".to_string()];
    let paths = named_paths(&module, "use crate::{live, report::text::table};\nuse super::sqs as q; x::crate::y");
    assert_eq!(paths, vec![vec!["live"], vec!["report", "text", "table"], vec!["aws", "sqs"]]);
}

/// Whether `code` uses a path that starts with `prefix`: a crate family when it ends in
/// `_` (`aws_sdk_` finds `aws_sdk_sqs::Client`), else that exact name (`aws_config`
/// finds `aws_config::defaults`). A string such as `"aws_config=debug"` is no path.
fn uses_path(code: &str, prefix: &str) -> bool {
    code.match_indices(prefix).any(|(i, _)| {
        let before = code[..i].chars().last();
        let rest = &code[i + prefix.len()..];
        let ident_end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        let whole_name = prefix.ends_with('_') || ident_end == 0;
        whole_name && !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && rest[ident_end..].starts_with("::")
    })
}

/// Files under `src/` outside `allowed` whose code uses any of `paths` (see
/// [`uses_path`]) or holds any of `texts`.
fn offenders(allowed: &[&str], paths: &[&str], texts: &[&str]) -> Vec<String> {
    let src = Path::new(ROOT).join("src");
    let mut out = Vec::new();
    for (file, text) in sources(&src) {
        let rel = file.strip_prefix(ROOT).unwrap().to_string_lossy().into_owned();
        if allowed.iter().any(|a| rel.starts_with(a)) {
            continue;
        }
        let code = code(&text);
        for path in paths.iter().filter(|p| uses_path(&code, p)) {
            out.push(format!("{rel}: `{path}::`"));
        }
        for text in texts.iter().filter(|t| code.contains(*t)) {
            out.push(format!("{rel}: `{text}`"));
        }
    }
    out
}

#[test]
fn a_path_is_told_from_a_string() {
    assert!(uses_path("use aws_sdk_sqs::types::Message;", "aws_sdk_"));
    assert!(uses_path("let c = aws_config::defaults(v);", "aws_config"));
    assert!(!uses_path("EnvFilter::new(\"aws_config=debug,aws_smithy_runtime=debug\")", "aws_config"));
    assert!(!uses_path("my_aws_config::x", "aws_config"));
    assert!(uses_path("crate::local::db::Conn", "local::db"));
    assert!(uses_path("use crate::aws::Aws;", "aws") && !uses_path("use aws_sdk_sqs::Client;", "aws"));
}

#[test]
fn only_the_aws_target_speaks_to_the_aws_sdk() {
    let sdk = ["aws_sdk_", "aws_config", "aws_smithy_", "aws_credential_types", "aws_types"];
    let found = offenders(&["src/aws/"], &sdk, &[]);
    assert!(found.is_empty(), "the AWS SDK used outside src/aws/: {found:#?}");
    assert!(!offenders(&[], &sdk, &[]).is_empty(), "the check sees src/aws/'s own imports");
}

#[test]
fn only_the_local_target_touches_the_local_database() {
    let db = ["rusqlite", "local::db", "local::query", "local::sqs", "local::sns", "local::table", "local::engine"];
    let found = offenders(&["src/local/"], &db, &[".db.connect("]);
    assert!(found.is_empty(), "the local database touched outside src/local/: {found:#?}");
    assert!(!offenders(&[], &db, &[".db.connect("]).is_empty(), "the check sees src/local/'s own use of it");
}

#[test]
fn commands_and_the_page_never_pick_a_target() {
    // Only `crate::targets` knows both; a command or the page holds a `dyn Target`.
    let found = offenders(
        &["src/aws/", "src/local/", "src/targets.rs", "src/cli.rs", "src/config.rs", "src/context.rs"],
        &[],
        &["TargetKind", "ctx.target", ".target =="],
    );
    assert!(found.is_empty(), "target chosen outside `crate::targets`: {found:#?}");
    let page = offenders(&["src/aws/", "src/local/", "src/commands/", "src/targets.rs", "src/lib.rs"], &["local", "aws"], &[]);
    assert!(page.is_empty(), "a module other than the commands reaches into a target: {page:#?}");
}

#[test]
fn the_order_domain_depends_on_no_sdk_cli_or_terminal_crate() {
    let manifest = std::fs::read_to_string(Path::new(ROOT).join("handlers/order-domain/Cargo.toml")).unwrap();
    let manifest: toml::Table = manifest.parse().unwrap();
    let deps: Vec<&String> = ["dependencies", "build-dependencies"]
        .iter()
        .filter_map(|section| manifest.get(*section).and_then(|d| d.as_table()))
        .flat_map(|t| t.keys())
        .collect();
    assert!(deps.iter().any(|d| *d == "serde"), "read the domain's dependencies: {deps:?}");
    let forbidden = ["aws-", "aws_", "lambda_runtime", "clap", "indicatif", "comfy-table", "crossterm", "console", "tokio", "rusqlite"];
    let bad: Vec<&&String> = deps.iter().filter(|d| forbidden.iter().any(|f| d.starts_with(f))).collect();
    assert!(bad.is_empty(), "handlers/order-domain depends on {bad:?}");
}
