//! The order domain shared by every part of the pipeline: the order message and its
//! validation, synthetic orders for load runs, the worker's business rules, the record
//! the worker writes to the table, and the high-value review.
//!
//! This crate knows nothing of the AWS SDK, of SQLite, of terminals or of clap: the
//! Lambda handlers, the local engine and the CLI all call the same pure functions here
//! and do their own I/O around them.

pub mod log;
pub mod order;
pub mod record;
pub mod review;
pub mod rules;
pub mod synth;
pub mod time;

pub use order::{accept_new, accept_request, parse_order, unwrap_envelope, validate, Invalid, Kind, Order, Refusal, MAX_MESSAGE_BYTES};
pub use record::{may_replace, next_record, OrderRecord, Receive, Status, Tier};
pub use review::{parse_high_value, review, HighValueMessage, Review, Verdict};
pub use rules::{decide, Decision, Rules};
pub use synth::{synthesize, Mix, MixCycle};
pub use time::{now_micros, rfc3339, Micros};
