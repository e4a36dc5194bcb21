//! Running the packaged Lambda handlers without Lambda: a local Runtime API that runs
//! a `bootstrap` as a real process ([`runtime`]), and event source mappings emulated
//! against any SQS endpoint ([`esm`]) and the stack's pipe against any DynamoDB
//! Streams endpoint ([`pipe`]), for emulators that cannot run Lambda code or pipes.

pub mod esm;
pub mod pipe;
pub mod runtime;
