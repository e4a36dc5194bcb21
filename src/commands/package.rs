//! `orderctl package`: build the handlers and write their deployment zips.

use super::emit;
use crate::cli::{ArchArg, PackageArgs};
use crate::context::Context;
use crate::package::{self, Arch, Build, PackageReport, Skipped, Sources};
use crate::report::text::table;
use crate::Outcome;
use anyhow::{bail, Result};
use std::time::Instant;

pub fn run(ctx: &Context, args: &PackageArgs) -> Result<Outcome> {
    let sources = match &args.source {
        Some(dir) => Sources::Checkout(dir.clone()),
        None => Sources::Embedded,
    };
    let out = &args.zips;
    let wanted: Vec<Arch> = match args.arch {
        ArchArg::X86_64 => vec![Arch::X86_64],
        ArchArg::Arm64 => vec![Arch::Arm64],
        ArchArg::All => Arch::ALL.to_vec(),
    };
    let build = Build::locate(&sources)?;
    let mut report = PackageReport {
        schema: "orderctl/package/v1",
        sources: build.what.clone(),
        workspace: build.workspace.clone(),
        packages: Vec::new(),
        skipped: Vec::new(),
        build_seconds: 0.0,
    };
    for arch in wanted {
        if !args.no_build && !arch.installed() {
            let reason = format!("the Rust target `{}` is not installed (`rustup target add {}`)", arch.triple(), arch.triple());
            if args.arch != ArchArg::All {
                bail!("cannot build for {}: {reason}", arch.lambda_name());
            }
            report.skipped.push(Skipped { architecture: arch, reason });
            continue;
        }
        if !args.no_build {
            let start = Instant::now();
            build.run(arch, !ctx.json())?;
            report.build_seconds += start.elapsed().as_secs_f64();
        }
        report.packages.extend(package::package_arch(&build, out, arch)?);
    }
    emit(ctx, &report, || {
        let mut t = table(&["handler", "architecture", "binary", "zip", "needs", "CodeSha256", "file"]);
        for p in &report.packages {
            t.add_row(vec![
                p.handler.clone(),
                p.architecture.lambda_name().to_string(),
                format!("{:.1} MiB", p.binary_bytes as f64 / 1_048_576.0),
                format!("{:.1} MiB", p.zip_bytes as f64 / 1_048_576.0),
                p.max_glibc.clone().unwrap_or_else(|| "no glibc".into()),
                p.code_sha256.clone(),
                p.zip.display().to_string(),
            ]);
        }
        let mut out = format!("{t}\n");
        for s in &report.skipped {
            out.push_str(&format!("skipped {}: {}\n", s.architecture.lambda_name(), s.reason));
        }
        out.push_str(&format!("built in {:.1}s; every binary needs at most glibc 2.34 (Lambda `provided.al2023`)\n", report.build_seconds));
        out
    })?;
    Ok(Outcome::Success)
}
