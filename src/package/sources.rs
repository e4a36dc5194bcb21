//! Where the handlers' sources come from, and the workspace they are built in.
//!
//! `orderctl` carries the handlers it was built with ([`embedded`]: every file of
//! `handlers/`, the workspace's `Cargo.toml` and `Cargo.lock`, put in by `build.rs`), so
//! an installed binary deploys from any folder; `--source DIR` takes them from a
//! checkout instead. Either way they are built the same way: [`stage`] writes a
//! workspace of the handlers alone — the five crates, a manifest with the workspace's
//! package fields and profiles, and the workspace's `Cargo.lock` cut to what the
//! handlers use, entry for entry — into a directory named by its content's hash. The
//! same sources give the same staged workspace wherever they come from, and cargo
//! builds the same bytes from it wherever it is.

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod generated {
    include!(concat!(env!("OUT_DIR"), "/handler_sources.rs"));
}

/// The commit this binary was built from (`build.rs`).
pub const COMMIT: &str = env!("ORDERCTL_COMMIT");

/// Where the handlers' sources are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sources {
    /// The ones this binary was built with.
    Embedded,
    /// An orderctl workspace (`--source DIR`): its `handlers/`, `Cargo.toml` and
    /// `Cargo.lock`.
    Checkout(PathBuf),
}

impl Sources {
    pub fn describe(&self) -> String {
        match self {
            Sources::Embedded => format!("the handlers orderctl {} was built with (commit {COMMIT})", env!("CARGO_PKG_VERSION")),
            Sources::Checkout(dir) => format!("the handlers in `{}`", dir.display()),
        }
    }

    /// Every file, by path relative to the workspace.
    pub fn files(&self) -> Result<BTreeMap<String, Vec<u8>>> {
        match self {
            Sources::Embedded => Ok(embedded()),
            Sources::Checkout(dir) => read_checkout(dir),
        }
    }
}

/// The handlers' sources inside this binary.
pub fn embedded() -> BTreeMap<String, Vec<u8>> {
    generated::FILES.iter().map(|(path, bytes)| (path.to_string(), bytes.to_vec())).collect()
}

fn read_checkout(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    if !dir.join("handlers").is_dir() {
        bail!("`{}` holds no `handlers/` directory: pass `--source` with an orderctl workspace, or leave it out to build the handlers this orderctl carries", dir.display());
    }
    let mut files = BTreeMap::new();
    for name in ["Cargo.toml", "Cargo.lock"] {
        let path = dir.join(name);
        files.insert(name.to_string(), std::fs::read(&path).with_context(|| format!("reading `{}`", path.display()))?);
    }
    let mut stack = vec![dir.join("handlers")];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).with_context(|| format!("reading `{}`", d.display()))? {
            let entry = entry?;
            let name = entry.file_name();
            if name == "target" || name.to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("under the workspace").to_string_lossy().replace('\\', "/");
                files.insert(rel, std::fs::read(&path).with_context(|| format!("reading `{}`", path.display()))?);
            }
        }
    }
    Ok(files)
}

/// The handler crates' directories, from the workspace manifest's members.
fn handler_members(manifest: &toml::Table) -> Result<Vec<String>> {
    let members = manifest
        .get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(|m| m.as_array())
        .context("the workspace's `Cargo.toml` lists no members")?;
    Ok(members.iter().filter_map(|m| m.as_str()).filter(|m| m.starts_with("handlers/")).map(str::to_string).collect())
}

/// The staged workspace's files: the handlers' own, a manifest naming only them, and
/// the workspace's lock.
pub fn workspace(files: &BTreeMap<String, Vec<u8>>) -> Result<BTreeMap<String, Vec<u8>>> {
    let text = |name: &str| -> Result<String> {
        let bytes = files.get(name).with_context(|| format!("the sources lack `{name}`"))?;
        String::from_utf8(bytes.clone()).with_context(|| format!("`{name}` is not UTF-8"))
    };
    let manifest: toml::Table = text("Cargo.toml")?.parse().context("parsing the workspace's `Cargo.toml`")?;
    let members = handler_members(&manifest)?;

    let mut ws = toml::Table::new();
    let mut workspace = toml::Table::new();
    workspace.insert("members".into(), toml::Value::Array(members.iter().map(|m| toml::Value::String(m.clone())).collect()));
    workspace.insert("resolver".into(), "2".into());
    if let Some(package) = manifest.get("workspace").and_then(|w| w.get("package")) {
        workspace.insert("package".into(), package.clone());
    }
    ws.insert("workspace".into(), toml::Value::Table(workspace));
    if let Some(profile) = manifest.get("profile").and_then(|p| p.as_table()) {
        let kept: toml::Table =
            profile.iter().filter(|(name, _)| *name == "release" || *name == "lambda").map(|(k, v)| (k.clone(), v.clone())).collect();
        ws.insert("profile".into(), toml::Value::Table(kept));
    }
    let header = "# The Lambda handlers of orderctl, staged to be built on their own (`orderctl package`).\n";
    let mut out: BTreeMap<String, Vec<u8>> =
        files.iter().filter(|(path, _)| path.starts_with("handlers/")).map(|(p, b)| (p.clone(), b.clone())).collect();
    out.insert("Cargo.toml".into(), format!("{header}{}", toml::to_string(&ws)?).into_bytes());
    // The workspace's lock as it is: cargo takes out what the handlers do not use on
    // the first build, and `check_lock` makes sure that is all it did.
    out.insert("Cargo.lock".into(), text("Cargo.lock")?.into_bytes());
    Ok(out)
}

/// The packages a lock file pins: (name, version, source).
pub fn locked(lock: &str) -> Result<BTreeSet<(String, String, String)>> {
    let parsed: toml::Table = lock.parse().context("parsing `Cargo.lock`")?;
    let packages = parsed.get("package").and_then(|p| p.as_array()).map(Vec::as_slice).unwrap_or_default();
    Ok(packages
        .iter()
        .map(|p| {
            let field = |k: &str| p.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            (field("name"), field("version"), field("source"))
        })
        .collect())
}

/// Checks that cargo only took unused entries out of the staged lock: every package
/// the handlers were built with is pinned, at the same version, by the workspace's.
pub fn check_lock(workspace_lock: &str, built_lock: &str) -> Result<()> {
    let pinned = locked(workspace_lock)?;
    let added: Vec<String> = locked(built_lock)?.difference(&pinned).map(|(name, version, _)| format!("{name} {version}")).collect();
    if !added.is_empty() {
        bail!(
            "building the handlers needed packages the workspace's `Cargo.lock` does not pin ({}): the build would not be reproducible; \
             run `cargo build` in the orderctl workspace so its lock covers the handlers",
            added.join(", ")
        );
    }
    Ok(())
}

/// A short hash of a set of files: names and contents.
pub fn digest(files: &BTreeMap<String, Vec<u8>>) -> String {
    let mut h = Sha256::new();
    for (path, bytes) in files {
        h.update((path.len() as u64).to_le_bytes());
        h.update(path.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Writes the staged workspace of the sources' `files` under `root` (`root/src-<hash>`,
/// once: an existing one is never rewritten, so cargo sees it unchanged) and returns
/// its path.
pub fn stage(files: &BTreeMap<String, Vec<u8>>, root: &Path) -> Result<PathBuf> {
    let files = workspace(files)?;
    let dir = root.join(format!("src-{}", digest(&files)));
    if dir.join("Cargo.lock").is_file() {
        return Ok(dir);
    }
    std::fs::create_dir_all(root).with_context(|| format!("creating `{}`", root.display()))?;
    let tmp = tempfile::Builder::new()
        .prefix(".staging-")
        .tempdir_in(root)
        .with_context(|| format!("creating a directory in `{}`", root.display()))?;
    for (path, bytes) in &files {
        let file = tmp.path().join(path);
        std::fs::create_dir_all(file.parent().expect("a file in a directory"))?;
        std::fs::write(&file, bytes).with_context(|| format!("writing `{}`", file.display()))?;
    }
    match std::fs::rename(tmp.path(), &dir) {
        Ok(()) => {
            let _ = tmp.keep();
        }
        // Another orderctl staged the same sources first: theirs are these.
        Err(_) if dir.join("Cargo.lock").is_file() => {}
        Err(e) => return Err(e).with_context(|| format!("moving the staged sources to `{}`", dir.display())),
    }
    Ok(dir)
}

/// Where an installed orderctl keeps its builds: `ORDERCTL_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/orderctl`, else `~/.cache/orderctl`.
pub fn cache_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("ORDERCTL_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir).join("orderctl"));
    }
    match std::env::var_os("HOME").filter(|d| !d.is_empty()) {
        Some(home) => Ok(PathBuf::from(home).join(".cache").join("orderctl")),
        None => bail!("no cache directory: set ORDERCTL_CACHE_DIR (or HOME)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = "version = 4\n\n[[package]]\nname = \"a\"\nversion = \"0.1.0\"\ndependencies = [\n \"b\",\n]\n\n[[package]]\nname = \"b\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"00\"\n\n[[package]]\nname = \"c\"\nversion = \"0.3.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"02\"\n";

    #[test]
    fn a_build_may_drop_locked_packages_but_not_add_or_move_one() {
        let dropped = LOCK.split("\n\n[[package]]\nname = \"c\"").next().unwrap().to_string() + "\n";
        assert!(check_lock(LOCK, &dropped).is_ok());
        assert!(check_lock(LOCK, LOCK).is_ok());
        let moved = LOCK.replace("1.0.0", "1.0.1");
        let err = check_lock(LOCK, &moved).unwrap_err().to_string();
        assert!(err.contains("b 1.0.1"), "{err}");
    }

    #[test]
    fn the_embedded_sources_are_the_checkout_s() {
        let checkout = Sources::Checkout(PathBuf::from(env!("CARGO_MANIFEST_DIR"))).files().unwrap();
        let embedded = embedded();
        assert_eq!(embedded.keys().collect::<Vec<_>>(), checkout.keys().collect::<Vec<_>>());
        assert_eq!(embedded, checkout, "the binary carries the handlers as they are in the checkout");
        assert!(embedded.keys().any(|k| k == "handlers/order-worker/src/main.rs"));
        let staged = workspace(&embedded).unwrap();
        let manifest = String::from_utf8(staged["Cargo.toml"].clone()).unwrap();
        assert!(manifest.contains("[profile.lambda]") && manifest.contains("handlers/order-domain"), "{manifest}");
        assert!(!manifest.contains("\".\""), "the CLI is not a member: {manifest}");
        assert_eq!(staged["Cargo.lock"], checkout["Cargo.lock"]);
    }
}
