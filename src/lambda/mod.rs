//! Running the packaged Lambda handlers without Lambda: a local Runtime API that runs
//! a `bootstrap` as a real process ([`runtime`]), and event source mappings emulated
//! against any SQS endpoint ([`esm`]) for emulators that cannot run Lambda code.

pub mod esm;
pub mod runtime;
