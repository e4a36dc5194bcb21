//! Packaging: reproducible zips from the same source, and the glibc check refusing a
//! binary that needs a newer glibc than Lambda's `provided.al2023` (2.34).

use crate::common;

use orderctl::package::{check_binary, Arch};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The packages (handler, CodeSha256, zip size) and the staged workspace they were
/// built in.
fn package(out: &Path) -> (Vec<(String, String, u64)>, PathBuf) {
    let report = common::package_into(out);
    let workspace = PathBuf::from(report["workspace"].as_str().unwrap());
    assert!(workspace.join("Cargo.lock").is_file() && workspace.join("handlers/order-domain/Cargo.toml").is_file(), "{report}");
    let packages = report["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let glibc = p["maxGlibc"].as_str().and_then(orderctl::package::elf::glibc_version);
            assert!(glibc.is_some_and(|v| v <= orderctl::package::MAX_GLIBC), "{p}");
            (p["handler"].as_str().unwrap().to_string(), p["codeSha256"].as_str().unwrap().to_string(), p["zipBytes"].as_u64().unwrap())
        })
        .collect();
    (packages, workspace)
}

#[test]
fn packaging_the_same_source_twice_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (first, workspace) = package(&dir.path().join("a"));
    assert_eq!(first.len(), 4, "three pipeline handlers and the load generator, for x86_64");
    // Make cargo compile one handler again from the same source: the staged copy it
    // builds.
    let main = workspace.join("handlers/order-worker/src/main.rs");
    let file = std::fs::File::options().append(true).open(&main).unwrap();
    file.set_modified(std::time::SystemTime::now()).unwrap();
    let (second, again) = package(&dir.path().join("b"));
    assert_eq!(workspace, again, "the same sources are staged once");
    assert_eq!(first, second, "same source, same CodeSha256");
    for (handler, _, _) in &first {
        let a = std::fs::read(dir.path().join(format!("a/{handler}-x86_64.zip"))).unwrap();
        let b = std::fs::read(dir.path().join(format!("b/{handler}-x86_64.zip"))).unwrap();
        assert!(a == b, "{handler}: the zips are byte-for-byte equal");
    }
}

#[test]
fn a_binary_that_needs_a_newer_glibc_is_refused_by_name() {
    // arc4random arrived in glibc 2.36.
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("new.c");
    std::fs::write(&src, "#include <stdlib.h>\n#include <stdio.h>\nint main(void) { printf(\"%u\\n\", arc4random()); return 0; }\n")
        .unwrap();
    let bin = dir.path().join("new");
    let cc = Command::new("cc").arg(&src).arg("-o").arg(&bin).output().expect("a C compiler (`cc`) is needed for this test");
    assert!(cc.status.success(), "cc failed: {}", String::from_utf8_lossy(&cc.stderr));
    let err = check_binary(&std::fs::read(&bin).unwrap(), Arch::X86_64, "new").unwrap_err().to_string();
    assert!(err.contains("GLIBC_2.36") && err.contains("arc4random"), "{err}");

    // The same program without it passes.
    std::fs::write(&src, "#include <stdio.h>\nint main(void) { puts(\"ok\"); return 0; }\n").unwrap();
    assert!(Command::new("cc").arg(&src).arg("-o").arg(&bin).status().unwrap().success());
    assert!(check_binary(&std::fs::read(&bin).unwrap(), Arch::X86_64, "old").is_ok());
}
