//! An installed `orderctl` deploys from anywhere: the binary alone, copied into a
//! temporary root as `cargo install --root` puts it, run from an empty folder against
//! moto, builds the handlers it carries — the same bytes, the same CodeSha256, as
//! `orderctl package` from the checkout — and its second `up` changes nothing.

use crate::common;

use common::moto::{leftovers, packages, Moto};
use common::{json, ok_json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Installed {
    binary: PathBuf,
    cache: PathBuf,
}

impl Installed {
    fn run(&self, cwd: &Path, moto: &Moto, args: &[&str]) -> Output {
        let checkout = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let mut cmd = Command::new(&self.binary);
        cmd.args(["--target", "aws", "--stack", "inst"])
            .args(args)
            .current_dir(cwd)
            .env("ORDERCTL_CACHE_DIR", &self.cache)
            // Cargo's own build cache, shared with the checkout's packaging so the SDK is
            // not compiled twice; the sources are the binary's, staged under the cache.
            .env("CARGO_TARGET_DIR", checkout.join("target/lambda-build/target"))
            .env_remove("AWS_PROFILE");
        for (k, v) in moto.handler_env() {
            cmd.env(k, v);
        }
        cmd.output().expect("the installed orderctl runs")
    }
}

#[test]
fn an_installed_orderctl_deploys_the_handlers_it_carries_from_an_empty_folder() {
    // What `orderctl package` gives from the checkout.
    let expected: Vec<(String, String)> = {
        // `up` deploys the pipeline's handlers; the load generator only `send --workers`.
        let mut v: Vec<(String, String)> = packages()
            .iter()
            .filter(|(handler, _)| *handler != "load-generator")
            .map(|(handler, zip)| (handler.clone(), orderctl::package::code_sha256(&std::fs::read(zip).unwrap())))
            .collect();
        v.sort();
        v
    };

    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("bin")).unwrap();
    let installed = Installed { binary: root.path().join("bin/orderctl"), cache: root.path().join("cache") };
    std::fs::copy(common::bin(), &installed.binary).unwrap();
    let empty = tempfile::tempdir().unwrap();

    let version = Command::new(&installed.binary).arg("--version").output().unwrap();
    let version = String::from_utf8_lossy(&version.stdout).to_string();
    assert!(version.starts_with(&format!("orderctl {} (commit ", env!("CARGO_PKG_VERSION"))), "{version}");
    assert!(!version.contains("commit unknown"), "a build from a checkout knows its commit: {version}");

    let moto = Moto::start();
    // This up builds the handlers from the sources the binary carries.
    let heavy = common::heavy();
    let up = ok_json(&installed.run(empty.path(), &moto, &["up", "--yes", "-o", "json"]), "installed up");
    drop(heavy);
    assert_eq!(up["applied"], true, "{up}");
    let staged: Vec<_> = std::fs::read_dir(installed.cache.join("lambda-build")).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(staged.iter().any(|n| n.to_string_lossy().starts_with("src-")), "the sources were staged from the binary: {staged:?}");

    let deployed: Vec<(String, String)> = common::block_on(async {
        let lambda = aws_sdk_lambda::Client::new(&moto.sdk().await);
        let mut v = Vec::new();
        for (handler, _) in &expected {
            let f = lambda.get_function().function_name(format!("inst-{handler}")).send().await.unwrap();
            v.push((handler.clone(), f.configuration().unwrap().code_sha256().unwrap().to_string()));
        }
        v
    });
    assert_eq!(deployed, expected, "the installed binary deploys the bytes `orderctl package` makes from the checkout");

    let again = ok_json(&installed.run(empty.path(), &moto, &["up", "--yes", "-o", "json"]), "second installed up");
    assert_eq!(again["applied"], false, "{again}");
    assert_eq!(again["apiCalls"]["mutating"], 0, "the second up changes nothing: {again}");

    let down = installed.run(empty.path(), &moto, &["down", "--yes", "-o", "json"]);
    assert_eq!(json(&down)["deleted"], true);
    let left = common::block_on(async { leftovers(&moto.sdk().await, "inst").await });
    assert!(left.is_empty(), "down left {left:?}");
}
