//! `orderctl export cloudformation`: the stack `up` makes on AWS as a template, with the
//! handler zips beside it, named as the template reads them from the code bucket.

use super::emit;
use super::up::{arch, code};
use crate::aws::template::{self, Format};
use crate::cli::{ExportArgs, TemplateFormat};
use crate::context::Context;
use crate::package;
use crate::report::text::table;
use crate::spec::{Handler, Settings};
use crate::Outcome;
use anyhow::{Context as _, Result};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportReport {
    pub schema: &'static str,
    pub stack: String,
    pub format: &'static str,
    pub template: PathBuf,
    pub zips: Vec<ExportedZip>,
    /// Resource type → how many of it the template holds.
    pub resources: BTreeMap<String, usize>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportedZip {
    pub handler: Handler,
    pub file: PathBuf,
    /// The key the template reads it from (after `CodePrefix`).
    pub key: String,
    pub code_sha256: String,
}

pub fn run(ctx: &Context, args: &ExportArgs) -> Result<Outcome> {
    let settings = ctx.apply_settings(Settings::aws(), &args.deploy.settings)?;
    crate::aws::desired::check_settings(&settings)?;
    let arch = arch(&args.deploy);
    let packages = crate::aws::stack::packages(&code(&args.deploy), arch, !ctx.json())?;
    std::fs::create_dir_all(&args.out).with_context(|| format!("creating `{}`", args.out.display()))?;
    let mut zips = Vec::new();
    let mut code = HashMap::new();
    for handler in Handler::ALL {
        let path = &packages[&handler];
        let bytes = std::fs::read(path).with_context(|| format!("reading `{}`", path.display()))?;
        let sha = package::code_sha256(&bytes);
        let key = template::zip_key(handler, arch, &sha);
        let file = args.out.join(&key);
        std::fs::write(&file, &bytes).with_context(|| format!("writing `{}`", file.display()))?;
        zips.push(ExportedZip { handler, file, key, code_sha256: sha.clone() });
        code.insert(handler, sha);
    }
    let (format, name, form) = match args.format {
        TemplateFormat::Cloudformation => (Format::CloudFormation, "cloudformation.yaml", "cloudformation"),
        TemplateFormat::Sam => (Format::Sam, "template.yaml", "sam"),
    };
    let value = template::template(&ctx.stack, &settings, arch, &code, format)?;
    let path = args.out.join(name);
    let text = format!(
        "# The orderctl stack `{}` ({} form), written by `orderctl export cloudformation` {}.\n# Upload the zips beside this file to the code bucket, then deploy it (see the README's \"Export\").\n{}",
        ctx.stack,
        form,
        crate::cli::VERSION,
        template::yaml(&value)
    );
    std::fs::write(&path, text).with_context(|| format!("writing `{}`", path.display()))?;
    let report = ExportReport {
        schema: "orderctl/export/v1",
        stack: ctx.stack.clone(),
        format: form,
        template: path,
        zips,
        resources: template::resource_types(&value),
    };
    emit(ctx, &report, || render(&report, &args.out))?;
    Ok(Outcome::Success)
}

fn render(report: &ExportReport, out: &std::path::Path) -> String {
    let mut t = table(&["resource type", "count"]);
    for (kind, n) in &report.resources {
        t.add_row(vec![kind.clone(), n.to_string()]);
    }
    let dir = out.display();
    let keys: Vec<&str> = report.zips.iter().map(|z| z.key.as_str()).collect();
    let deploy = if report.format == "sam" {
        format!("sam deploy --template-file {dir}/template.yaml --stack-name {0} --capabilities CAPABILITY_NAMED_IAM --parameter-overrides StackName={0} CodeBucket=BUCKET", report.stack)
    } else {
        format!("aws cloudformation deploy --template-file {dir}/cloudformation.yaml --stack-name {0} --capabilities CAPABILITY_NAMED_IAM --parameter-overrides StackName={0} CodeBucket=BUCKET", report.stack)
    };
    format!(
        "{t}\nwrote {} and {} zips ({})\nnext: upload the zips, then deploy:\n  for z in {}; do aws s3 cp {dir}/$z s3://BUCKET/; done\n  {deploy}\n",
        report.template.display(),
        report.zips.len(),
        keys.join(", "),
        keys.join(" "),
    )
}
