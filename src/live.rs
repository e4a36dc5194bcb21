//! What a long operation shows and hears while it runs, for every target and the page:
//! the progress bar on stderr (hidden with `--output json` and when stderr is not a
//! terminal) and the Ctrl-C flag.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::atomic::{AtomicBool, Ordering};

/// A flag Ctrl-C sets (installed once per process). A second Ctrl-C exits at once.
pub fn interrupted() -> &'static AtomicBool {
    static FLAG: AtomicBool = AtomicBool::new(false);
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if FLAG.swap(true, Ordering::SeqCst) {
                // A second Ctrl-C: the user does not want to wait.
                std::process::exit(130);
            }
            eprintln!("\ninterrupted: stopping, and finishing what is under way (Ctrl-C again to quit now)");
        });
    });
    &FLAG
}

/// A progress bar of `len` steps on stderr; `hidden` (JSON output) draws nothing.
pub fn progress(hidden: bool, len: u64) -> ProgressBar {
    let target = if hidden { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() };
    let bar = ProgressBar::with_draw_target(Some(len), target);
    bar.set_style(ProgressStyle::with_template("{spinner} [{bar:24}] {pos}/{len} {msg}").expect("valid template").progress_chars("=> "));
    bar
}
