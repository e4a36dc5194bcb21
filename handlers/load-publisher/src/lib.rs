//! The load generator, shared by `orderctl send` (one process) and the `load-generator`
//! Lambda function (`send --workers N`): the open-model [`schedule`] and its split into
//! workers' shares, the SNS [`publish`]er with its batching, retries and HDR
//! recording, the [`hist`]ograms' portable form, and the workers' [`task`] and report.
//! One implementation, so a worker publishes exactly as the CLI does.

pub mod hist;
pub mod publish;
pub mod schedule;
pub mod task;
