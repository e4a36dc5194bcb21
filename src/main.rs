//! `orderctl`: parse, run, turn the result into an exit code (see `orderctl --help`).

fn main() -> std::process::ExitCode {
    orderctl::main_with_args(std::env::args_os())
}
