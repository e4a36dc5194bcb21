//! `orderctl export cloudformation`: both forms pass `cfn-lint` with nothing to say, and
//! the plain template, deployed by moto's CloudFormation (through boto3, an independent
//! client), is the stack `up` makes — every resource moto's CloudFormation can create
//! is present and undrifted by `orderctl status`; what it cannot is exactly the list
//! the README gives.

use crate::common;

use common::moto::{tiny_packages, Moto};
use common::{bin, json};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn venv(tool: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin").join(tool);
    assert!(path.exists(), "`{}` is missing: run the README's test command, which installs it", path.display());
    path
}

/// `orderctl export cloudformation` of the zips in `zips` into `out`: its JSON report.
fn export(out: &Path, zips: &Path, format: &str, extra: &[&str]) -> Value {
    let run = Command::new(bin())
        .args(["--stack", "ex", "export", "cloudformation", "-o", "json", "--format", format, "--zips"])
        .arg(zips)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert!(run.status.success(), "export failed: {}", String::from_utf8_lossy(&run.stderr));
    json(&run)
}

#[test]
fn both_forms_pass_cfn_lint_and_carry_the_zips_they_name() {
    let zips = tiny_packages();
    let dir = tempfile::tempdir().unwrap();
    for (format, file) in [("cloudformation", "cloudformation.yaml"), ("sam", "template.yaml")] {
        let out = dir.path().join(format);
        let report = export(&out, zips.path(), format, &["--alert-email", "ops@example.com"]);
        assert_eq!(report["template"], out.join(file).display().to_string());
        assert_eq!(report["zips"].as_array().unwrap().len(), 3);
        let template = std::fs::read_to_string(out.join(file)).unwrap();
        for z in report["zips"].as_array().unwrap() {
            let key = z["key"].as_str().unwrap();
            assert!(template.contains(&format!("${{CodePrefix}}{key}")), "{format}: the template reads `{key}`");
            let handler = z["handler"].as_str().unwrap();
            let original = std::fs::read(zips.path().join(format!("{handler}-x86_64.zip"))).unwrap();
            assert_eq!(std::fs::read(out.join(key)).unwrap(), original, "{format}: `{key}` is the zip as packaged");
        }
        assert!(template.contains("Default: \"ops@example.com\""), "{format}: the e-mail is the parameter's default");
        let lint = Command::new(venv("cfn-lint")).arg(out.join(file)).output().unwrap();
        assert!(
            lint.status.success(),
            "cfn-lint on the {format} form (exit {:?}):\n{}{}",
            lint.status.code(),
            String::from_utf8_lossy(&lint.stdout),
            String::from_utf8_lossy(&lint.stderr)
        );
    }

    // cfn-lint is not a rubber stamp: each form with one wrong setting fails it.
    for (format, file) in [("cloudformation", "cloudformation.yaml"), ("sam", "template.yaml")] {
        let out = dir.path().join(format);
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        assert!(text.contains("MemorySize: 256"));
        std::fs::write(out.join("broken.yaml"), text.replace("MemorySize: 256", "MemorySize: 99999")).unwrap();
        let lint = Command::new(venv("cfn-lint")).arg(out.join("broken.yaml")).output().unwrap();
        let said = String::from_utf8_lossy(&lint.stdout);
        assert!(!lint.status.success() && said.contains("E3034"), "cfn-lint on a {format} function of 99,999 MB: {said}");
    }
}

/// The resource types moto 5's CloudFormation does not implement: it skips them with a
/// warning (and reports the stack complete), and the README says so.
const MOTO_CANNOT_CREATE: [&str; 8] = [
    "AWS::ApiGatewayV2::Api",
    "AWS::ApiGatewayV2::Integration",
    "AWS::ApiGatewayV2::Route",
    "AWS::ApiGatewayV2::Stage",
    "AWS::CloudWatch::Alarm",
    "AWS::Pipes::Pipe",
    "AWS::SNS::Subscription",
    "AWS::SQS::QueuePolicy",
];

fn with_moto(moto: &Moto, cmd: &mut Command) {
    for (k, v) in moto.handler_env() {
        cmd.env(k, v);
    }
    cmd.env_remove("AWS_PROFILE");
}

fn status(moto: &Moto) -> BTreeMap<String, (String, Vec<String>)> {
    let mut cmd = Command::new(bin());
    cmd.args(["--target", "aws", "--stack", "ex", "status", "-o", "json"]);
    with_moto(moto, &mut cmd);
    let report = json(&cmd.output().unwrap());
    report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let differs = r["differs"].as_array().map(|d| d.iter().map(|f| f.as_str().unwrap().to_string()).collect()).unwrap_or_default();
            (
                format!("{} {}", r["kind"].as_str().unwrap(), r["name"].as_str().unwrap()),
                (r["state"].as_str().unwrap().to_string(), differs),
            )
        })
        .collect()
}

fn deploy_script(moto: &Moto, args: &[&str]) -> Value {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/cfn_deploy.py");
    let mut cmd = Command::new(venv("python"));
    cmd.arg(script).args(args);
    with_moto(moto, &mut cmd);
    let run = cmd.output().unwrap();
    assert!(run.status.success(), "cfn_deploy.py {args:?}: {}", String::from_utf8_lossy(&run.stderr));
    json(&run)
}

#[test]
fn the_template_deployed_by_moto_s_cloudformation_is_the_stack_up_makes() {
    let moto = Moto::start();
    let zips = tiny_packages();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cfn");
    let report = export(&out, zips.path(), "cloudformation", &[]);
    let template = out.join("cloudformation.yaml");
    let deployed = deploy_script(&moto, &["deploy", &moto.endpoint, template.to_str().unwrap(), out.to_str().unwrap(), "ex", "code"]);
    assert_eq!(deployed["status"], "CREATE_COMPLETE", "{deployed}");

    // What moto created, by type, against what the template holds.
    let made: BTreeSet<&str> =
        deployed["resources"].as_array().unwrap().iter().filter_map(|r| r["type"].as_str()).filter(|t| !t.is_empty()).collect();
    let wanted: BTreeSet<&str> = report["resources"].as_object().unwrap().keys().map(String::as_str).collect();
    let skipped: Vec<&str> = wanted.difference(&made).copied().collect();
    assert_eq!(skipped, MOTO_CANNOT_CREATE, "the types moto's CloudFormation skips");

    // The functions run the exported code.
    for z in report["zips"].as_array().unwrap() {
        let function = format!("ex-{}", z["handler"].as_str().unwrap());
        assert_eq!(deployed["codeSha256"][&function], z["codeSha256"], "{function} deploys the zip beside the template");
    }

    // moto stores each role's inline policy as Python's repr of the document: stored
    // again as the JSON it holds, the policies are the ones `up` writes.
    let repairs = deploy_script(&moto, &["repair", &moto.endpoint, "ex"]);
    assert_eq!(repairs.as_array().unwrap().len(), 4, "one policy per role: {repairs}");

    let states = status(&moto);
    let mut unexpected = Vec::new();
    for (resource, (state, differs)) in &states {
        let expected = match resource.as_str() {
            // Types moto's CloudFormation does not create.
            "subscription ex-orders->ex-orders" | "pipe ex-high-value" | "alarm ex-dlq-not-empty" | "http-api ex-orders-api" => "missing",
            // The queue policy is a resource of its own in CloudFormation, and one of those.
            "queue ex-orders" => "drifted",
            // moto's CloudFormation creates these without their tags.
            r if r.starts_with("topic ") || r.starts_with("function ") || r.starts_with("event-source-mapping ") => {
                "not owned (no stack tag)"
            }
            _ => "present",
        };
        let differs_ok = if resource == "queue ex-orders" { differs == &["policy".to_string()] } else { differs.is_empty() };
        if state != expected || !differs_ok {
            unexpected.push(format!("{resource}: {state} {differs:?} (expected {expected})"));
        }
    }
    assert!(unexpected.is_empty(), "status of the CloudFormation-made stack:\n{}", unexpected.join("\n"));
    assert_eq!(states.len(), 22, "every resource of the stack is looked at: {states:#?}");
}
