//! The completion scripts and the man page committed in `completions/` match the
//! command line. When this fails, regenerate them with `ORDERCTL_REGENERATE_COMPLETIONS=1
//! cargo test --test suite completions::` and commit the result.

use clap_complete::Shell;
use std::path::Path;

pub fn file_name(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => "orderctl.bash",
        Shell::Zsh => "_orderctl",
        Shell::Fish => "orderctl.fish",
        Shell::PowerShell => "_orderctl.ps1",
        Shell::Elvish => "orderctl.elv",
        _ => unreachable!("a shell this test does not know"),
    }
}

#[test]
fn committed_completions_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let regenerate = std::env::var_os("ORDERCTL_REGENERATE_COMPLETIONS").is_some();
    let files = [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell, Shell::Elvish]
        .map(|shell| (file_name(shell), orderctl::commands::completions(shell)))
        .into_iter()
        .chain([("orderctl.1", orderctl::commands::man_page())]);
    for (name, want) in files {
        let path = dir.join(name);
        if regenerate {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read(&path).unwrap_or_default();
        assert!(
            have == want,
            "`{}` is stale: run `ORDERCTL_REGENERATE_COMPLETIONS=1 cargo test --test suite completions::` and commit the result",
            path.display()
        );
    }
}
