use std::process::ExitCode;

/// The publisher and the local engine allocate per message: mimalloc spends less CPU on
/// it than the system allocator (`cargo bench --bench publisher_cpu`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    orderctl::main_with_args(std::env::args_os())
}
