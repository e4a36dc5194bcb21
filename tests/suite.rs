//! The integration tests, one binary: each file under `tests/` is a module of it
//! (`cargo test --test suite crash::` runs `tests/crash.rs`). One binary links the SDK
//! once instead of once per file, and its tests run side by side across files — most
//! of their time is spent waiting on an emulator, a child process or a clock — with
//! `RUST_TEST_THREADS` from `.cargo/config.toml`. Tests that load both cores (the
//! handlers' release builds, LocalStack) take `common::heavy()` so two never overlap.

mod common;

mod architecture;
mod aws_send;
mod aws_stack;
mod bad_input;
mod cli;
mod completions;
mod concurrency;
mod config;
mod crash;
mod dlq;
mod endpoint_faults;
mod endpoints;
mod exit_codes;
mod export;
mod faults;
mod fuzz;
mod handlers;
mod install;
mod local_semantics;
mod localstack;
mod orders;
mod package;
mod patterns;
mod policies;
mod realism;
mod report_schema;
mod scenarios;
mod secrets;
mod smoke;
mod trace_logs;
mod ui;
mod workers;
