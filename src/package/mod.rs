//! Packaging the Lambda handlers: build them in release mode for each Lambda
//! architecture whose Rust target is installed, refuse a binary that needs a glibc
//! newer than `provided.al2023` has (2.34), and write one reproducible deployment zip
//! per handler and architecture — a single `bootstrap`, mode 0755, fixed timestamps —
//! with its SHA-256 in Lambda's base64 form, so a deploy can skip unchanged code.

pub mod elf;
pub mod sources;

pub use sources::Sources;

use anyhow::{bail, Context, Result};
use base64::Engine;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `provided.al2023` ships glibc 2.34.
pub const MAX_GLIBC: (u32, u32) = (2, 34);

/// The handler crates under `handlers/`, each one Lambda function.
pub const HANDLERS: [&str; 4] = ["order-worker", "high-value-worker", "create-order", "load-generator"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Arch {
    X86_64,
    Arm64,
}

impl Arch {
    pub const ALL: [Arch; 2] = [Arch::X86_64, Arch::Arm64];

    pub fn triple(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64-unknown-linux-gnu",
            Arch::Arm64 => "aarch64-unknown-linux-gnu",
        }
    }

    /// The name Lambda uses (`Architectures`).
    pub fn lambda_name(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::Arm64 => "arm64",
        }
    }

    fn elf_machine(self) -> u16 {
        match self {
            Arch::X86_64 => elf::EM_X86_64,
            Arch::Arm64 => elf::EM_AARCH64,
        }
    }

    /// Whether this machine can build for the architecture: its Rust standard library
    /// is installed (and, for a cross build, a linker for it is configured).
    pub fn installed(self) -> bool {
        let sysroot = Command::new("rustc").args(["--print", "sysroot"]).output().ok().filter(|o| o.status.success());
        sysroot.is_some_and(|o| {
            Path::new(String::from_utf8_lossy(&o.stdout).trim()).join("lib/rustlib").join(self.triple()).join("lib").is_dir()
        })
    }
}

/// Where the Lambda code `up` deploys comes from (the aws target; local runs the
/// handlers' logic in process), and the load generator `send --workers` deploys.
#[derive(Debug, Clone)]
pub enum Code {
    /// Build and package these handlers.
    Build { sources: Sources },
    /// The zips `orderctl package --zips DIR` wrote.
    Packages { dir: PathBuf },
}

/// One packaged handler.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Package {
    pub handler: String,
    pub architecture: Arch,
    pub zip: PathBuf,
    pub binary_bytes: u64,
    pub zip_bytes: u64,
    /// SHA-256 of the zip, base64 (Lambda's `CodeSha256`).
    pub code_sha256: String,
    /// The newest glibc symbol version the binary needs, e.g. `GLIBC_2.34`.
    pub max_glibc: Option<String>,
}

/// An architecture that was not built, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    pub architecture: Arch,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackageReport {
    pub schema: &'static str,
    /// What was built: the handlers this binary carries, or a checkout's.
    pub sources: String,
    /// The staged workspace cargo built them in.
    pub workspace: PathBuf,
    pub packages: Vec<Package>,
    pub skipped: Vec<Skipped>,
    pub build_seconds: f64,
}

/// The directory of built zips every command uses unless told otherwise
/// (`--zips DIR`): `package` writes it, `up` builds into it, `lambda` reads it.
pub const DEFAULT_ZIPS: &str = "target/lambda";

/// A build of the handlers: the staged workspace (see [`sources`]) and cargo's target
/// directory for it.
#[derive(Debug, Clone)]
pub struct Build {
    pub workspace: PathBuf,
    pub target_dir: PathBuf,
    /// The sources' `Cargo.lock`, as they had it.
    workspace_lock: String,
    /// Which sources: `Sources::describe`.
    pub what: String,
}

impl Build {
    /// The built binary of `handler` for `arch`.
    pub fn binary(&self, handler: &str, arch: Arch) -> PathBuf {
        self.target_dir.join(arch.triple()).join("lambda").join(handler)
    }
}

/// Where the builds of `sources` go: a checkout's own `target/lambda-build`, apart from
/// its usual builds (the lambda profile never invalidates them); for the sources this
/// binary carries, the cache directory. `CARGO_TARGET_DIR`, when set, is cargo's
/// target directory for them.
pub fn build_root(sources: &Sources) -> Result<PathBuf> {
    Ok(match sources {
        Sources::Checkout(dir) => dir.join("target").join("lambda-build"),
        Sources::Embedded => sources::cache_dir()?.join("lambda-build"),
    })
}

impl Build {
    /// Stages `sources` (see [`sources::stage`]) and finds cargo's target directory
    /// for them; nothing is built.
    pub fn locate(sources: &Sources) -> Result<Build> {
        let root = build_root(sources)?;
        let files = sources.files()?;
        let workspace_lock = String::from_utf8_lossy(files.get("Cargo.lock").map(Vec::as_slice).unwrap_or_default()).into_owned();
        let workspace = sources::stage(&files, &root)?;
        let target_dir =
            std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()).map(PathBuf::from).unwrap_or_else(|| root.join("target"));
        std::fs::create_dir_all(&target_dir).with_context(|| format!("creating `{}`", target_dir.display()))?;
        Ok(Build { workspace, target_dir: target_dir.canonicalize()?, workspace_lock, what: sources.describe() })
    }

    /// Builds every handler for `arch` with the `lambda` profile (saying so on stderr
    /// with `say`).
    ///
    /// The bytes depend on the sources and the toolchain, not on where anything is:
    /// cargo names the staged crates by paths relative to their workspace, and the
    /// registry's and the target directory's absolute paths are remapped.
    pub fn run(&self, arch: Arch, say: bool) -> Result<()> {
        if say {
            eprintln!("building {} for {} (cargo, profile `lambda`)…", self.what, arch.lambda_name());
        }
        let home = std::env::var("CARGO_HOME").map(PathBuf::from).or_else(|_| std::env::var("HOME").map(|h| Path::new(&h).join(".cargo")));
        let mut flags = vec![format!("--remap-path-prefix={}=/target", self.target_dir.display())];
        if let Ok(home) = home {
            flags.push(format!("--remap-path-prefix={}=/cargo", home.display()));
        }
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.current_dir(&self.workspace)
            .args(["build", "--profile", "lambda", "--target", arch.triple()])
            .env("CARGO_TARGET_DIR", &self.target_dir)
            .env("CARGO_ENCODED_RUSTFLAGS", flags.join("\u{1f}"))
            .env_remove("RUSTFLAGS");
        for h in HANDLERS {
            cmd.args(["-p", h]);
        }
        let status = cmd.status().with_context(|| format!("running `cargo build` in `{}`", self.workspace.display()))?;
        if !status.success() {
            bail!("building the handlers for {} failed ({status}); see cargo's output above", arch.lambda_name());
        }
        let lock = |dir: &Path| std::fs::read_to_string(dir.join("Cargo.lock")).with_context(|| format!("reading `{}`", dir.display()));
        sources::check_lock(&self.workspace_lock, &lock(&self.workspace)?)
    }
}

/// Checks a handler binary: the right machine, and no glibc symbol newer than
/// `MAX_GLIBC`. Returns the newest glibc version it needs.
pub fn check_binary(bytes: &[u8], arch: Arch, what: &str) -> Result<Option<String>> {
    let info = elf::read(bytes).with_context(|| format!("reading `{what}`"))?;
    if info.machine != arch.elf_machine() {
        bail!("`{what}` is not an {} binary (ELF machine {})", arch.lambda_name(), info.machine);
    }
    if let Some(need) = info.glibc_newer_than(MAX_GLIBC).first() {
        let symbols = if need.symbols.is_empty() { "no symbol attributed".to_string() } else { need.symbols.join(", ") };
        bail!(
            "`{what}` needs {} (symbol {symbols}) but Lambda's `provided.al2023` has glibc {}.{}: build it against an older glibc (for example with cargo-zigbuild) or avoid that symbol",
            need.version,
            MAX_GLIBC.0,
            MAX_GLIBC.1
        );
    }
    Ok(info.max_glibc().map(|(a, b)| format!("GLIBC_{a}.{b}")))
}

/// A deployment zip holding `binary` as `bootstrap`, byte-for-byte reproducible: the
/// same binary always gives the same zip.
pub fn zip_bootstrap(binary: &[u8]) -> Result<Vec<u8>> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o755);
    writer.start_file("bootstrap", options)?;
    writer.write_all(binary)?;
    Ok(writer.finish()?.into_inner())
}

/// Lambda's `CodeSha256`: the SHA-256 of the zip, base64.
pub fn code_sha256(zip: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(zip))
}

/// Packages every handler of `build` for `arch` into `out`.
pub fn package_arch(build: &Build, out: &Path, arch: Arch) -> Result<Vec<Package>> {
    std::fs::create_dir_all(out).with_context(|| format!("creating `{}`", out.display()))?;
    HANDLERS
        .iter()
        .map(|handler| {
            let path = build.binary(handler, arch);
            let binary = std::fs::read(&path).with_context(|| format!("reading `{}`: build the handlers first", path.display()))?;
            let max_glibc = check_binary(&binary, arch, &format!("{handler} ({})", arch.lambda_name()))?;
            let zip = zip_bootstrap(&binary)?;
            let zip_path = out.join(format!("{handler}-{}.zip", arch.lambda_name()));
            std::fs::write(&zip_path, &zip).with_context(|| format!("writing `{}`", zip_path.display()))?;
            Ok(Package {
                handler: handler.to_string(),
                architecture: arch,
                zip: zip_path,
                binary_bytes: binary.len() as u64,
                zip_bytes: zip.len() as u64,
                code_sha256: code_sha256(&zip),
                max_glibc,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_zip_is_reproducible_and_holds_an_executable_bootstrap() {
        let binary = b"\x7fELF pretend binary".repeat(1000);
        let (a, b) = (zip_bootstrap(&binary).unwrap(), zip_bootstrap(&binary).unwrap());
        assert_eq!(a, b, "same binary, same bytes");
        assert_ne!(code_sha256(&a), code_sha256(&zip_bootstrap(b"other").unwrap()));
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(a)).unwrap();
        assert_eq!(archive.len(), 1);
        let mut entry = archive.by_index(0).unwrap();
        assert_eq!(entry.name(), "bootstrap");
        assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(0o755));
        // No clock in the bytes: the entry's time is the fixed 1980-01-01 00:00 of the
        // zip format's epoch, whenever the zip is made.
        let t = entry.last_modified().expect("a modification time");
        assert_eq!((t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second()), (1980, 1, 1, 0, 0, 0));
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        assert_eq!(content, binary);
    }

    #[test]
    fn code_sha256_is_base64_not_hex() {
        let h = code_sha256(b"");
        assert_eq!(h, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    }

    #[test]
    fn a_binary_for_the_wrong_machine_is_refused() {
        let me = std::fs::read(std::env::current_exe().unwrap()).unwrap();
        let err = check_binary(&me, Arch::Arm64, "test").unwrap_err();
        assert!(err.to_string().contains("not an arm64 binary"), "{err}");
    }
}
