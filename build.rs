//! Carries what `orderctl` needs to deploy from anywhere inside the binary: the Lambda
//! handlers' sources (every file of `handlers/`, the workspace's `Cargo.toml` and
//! `Cargo.lock`), so an installed `orderctl` builds exactly the handlers it was built
//! with; and the commit it was built from, for `--version`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));

    let mut files = vec![root.join("Cargo.toml"), root.join("Cargo.lock")];
    walk(&root.join("handlers"), &mut files);
    files.sort();
    let mut code = String::from(
        "/// Every file of the handlers' sources, by path relative to the workspace.\npub const FILES: &[(&str, &[u8])] = &[\n",
    );
    for f in &files {
        let rel = f.strip_prefix(&root).expect("under the workspace").to_str().expect("a UTF-8 path").replace('\\', "/");
        code.push_str(&format!("    ({rel:?}, include_bytes!({:?})),\n", f.display().to_string()));
        println!("cargo:rerun-if-changed={}", f.display());
    }
    code.push_str("];\n");
    std::fs::write(out.join("handler_sources.rs"), code).expect("writing handler_sources.rs");
    // A file added under `handlers/` changes its directory.
    println!("cargo:rerun-if-changed={}", root.join("handlers").display());

    println!("cargo:rustc-env=ORDERCTL_COMMIT={}", commit(&root));
    // The commit changes with HEAD (or the branch it names); "modified" with any
    // source, which makes cargo rebuild the crate anyway.
    let git = root.join(".git");
    if git.is_dir() {
        println!("cargo:rerun-if-changed={}", git.join("HEAD").display());
        if let Ok(head) = std::fs::read_to_string(git.join("HEAD")) {
            if let Some(reference) = head.trim().strip_prefix("ref: ") {
                println!("cargo:rerun-if-changed={}", git.join(reference).display());
            }
        }
        println!("cargo:rerun-if-changed={}", git.join("packed-refs").display());
        println!("cargo:rerun-if-changed={}", root.join("src").display());
    }
    println!("cargo:rerun-if-env-changed=ORDERCTL_COMMIT");
}

/// Every file under `dir`, skipping build output.
fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display())).flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        let name = e.file_name();
        if name == "target" || name.to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(&path, files);
        } else {
            files.push(path);
        }
    }
}

/// The commit the binary is built from: `ORDERCTL_COMMIT` if set (a build outside a
/// git checkout), else git's HEAD, "+modified" when the work tree differs from it.
fn commit(root: &Path) -> String {
    if let Ok(c) = std::env::var("ORDERCTL_COMMIT") {
        return c;
    }
    let git = |args: &[&str]| Command::new("git").args(args).current_dir(root).output().ok().filter(|o| o.status.success());
    let Some(head) = git(&["rev-parse", "--short=12", "HEAD"]) else {
        return "unknown".into();
    };
    let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
    let modified = git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|o| !o.stdout.is_empty());
    if modified {
        format!("{head}+modified")
    } else {
        head
    }
}
