//! The `aws` target: real AWS, or any AWS-compatible endpoint (`--endpoint-url` /
//! `AWS_ENDPOINT_URL`), through the official SDK and the standard credential chain.
//! [`AwsTarget`] is this target's side of `crate::target::Target`: [`stack`] (`up`,
//! `down`, `status`), [`send`] (a load run), [`dlq`] and [`page`] hold the operations.
//! [`desired`], [`observe`] and [`apply`] provision (the desired state, what exists,
//! and the changes that make one the other); [`sqs`] holds the DLQ's SQS primitives,
//! [`calls`] counts every request, and [`emulate`] stands in for the parts of AWS an
//! endpoint may lack (`orderctl lambda mappings`).

pub mod apply;
pub mod calls;
pub mod desired;
pub mod dlq;
pub mod emulate;
pub mod logs;
pub mod observe;
pub mod orders;
pub mod page;
pub mod send;
pub mod sqs;
pub mod stack;
mod target;
pub mod template;
pub mod trace;
pub mod workers;

pub use target::AwsTarget;

use crate::context::Context;
pub use crate::model::Env;
use anyhow::{Context as _, Result};
use aws_credential_types::provider::{self, future, ProvideCredentials, SharedCredentialsProvider};
use calls::Calls;

/// The SDK configuration: the standard chain (environment, profiles, instance
/// credentials), with the region, profile and endpoint the command line gives.
pub async fn sdk_config(ctx: &Context) -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(5))
        // An endpoint that takes the connection and never answers fails the attempt
        // (then retried) instead of hanging the command
        // (`ORDERCTL_AWS_ATTEMPT_TIMEOUT_SECONDS`, default 60).
        .timeout_config(
            aws_config::timeout::TimeoutConfig::builder()
                .operation_attempt_timeout(std::time::Duration::from_secs(seconds_setting("ORDERCTL_AWS_ATTEMPT_TIMEOUT_SECONDS", 60)))
                .build(),
        );
    // `--endpoint-url` (or `orderctl.toml`) sends every service there, as the AWS CLI's
    // flag does. `AWS_ENDPOINT_URL` is left to the SDK, which lets a service's own
    // `AWS_ENDPOINT_URL_<SERVICE>` or profile setting win for that service.
    if let Some(url) = ctx.endpoint_url.as_ref().filter(|_| !ctx.endpoint_url_from_env) {
        loader = loader.endpoint_url(url);
    }
    if let Some(region) = &ctx.region {
        loader = loader.region(aws_config::Region::new(region.clone()));
    }
    if let Some(profile) = &ctx.profile {
        loader = loader.profile_name(profile);
    }
    let sdk = loader.load().await;
    // Whatever provider resolves the credentials, their secrets never reach a log line.
    match sdk.credentials_provider() {
        Some(provider) => sdk.into_builder().credentials_provider(SharedCredentialsProvider::new(Registering(provider))).build(),
        None => sdk,
    }
}

/// A whole number of seconds from the environment variable `name` (1 s to 12 h), else
/// `default`.
pub fn seconds_setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).filter(|s| (1..=43_200).contains(s)).unwrap_or(default)
}

/// The services orderctl calls: (short name, the SDK's service id, which names its
/// `AWS_ENDPOINT_URL_<SERVICE>` variable and profile section).
pub const SERVICES: [(&str, &str); 11] = [
    ("sts", "STS"),
    ("dynamodb", "DynamoDB"),
    ("dynamodbstreams", "DynamoDB Streams"),
    ("sns", "SNS"),
    ("sqs", "SQS"),
    ("lambda", "Lambda"),
    ("iam", "IAM"),
    ("pipes", "Pipes"),
    ("cloudwatch", "CloudWatch"),
    ("logs", "CloudWatch Logs"),
    ("apigatewayv2", "ApiGatewayV2"),
];

/// The endpoint a client of service `service_id` made from `sdk` talks to, as the SDK
/// resolves it (the client's own configuration, else the service's environment variable
/// or profile section, else the shared one); `None` for AWS's own.
pub fn service_endpoint(sdk: &aws_config::SdkConfig, service_id: &str) -> Option<String> {
    if sdk.get_origin("endpoint_url").is_client_config() {
        return sdk.endpoint_url().map(str::to_string);
    }
    let key = aws_types::service_config::ServiceConfigKey::builder()
        .service_id(service_id)
        .env("AWS_ENDPOINT_URL")
        .profile("endpoint_url")
        .build();
    sdk.service_config().and_then(|c| key.ok().and_then(|k| c.load_config(k))).or_else(|| sdk.endpoint_url().map(str::to_string))
}

/// Every service whose endpoint is not `shared`, by short name.
fn other_endpoints(sdk: &aws_config::SdkConfig, shared: Option<&str>) -> std::collections::BTreeMap<String, String> {
    SERVICES
        .iter()
        .filter_map(|(name, id)| {
            let url = service_endpoint(sdk, id);
            (url.as_deref() != shared).then(|| (name.to_string(), url.unwrap_or_else(|| "AWS (default)".into())))
        })
        .collect()
}

/// The ARN of the SNS topic named `name`, if it exists.
pub async fn find_topic(sdk: &aws_config::SdkConfig, name: &str) -> Result<Option<String>> {
    let sns = aws_sdk_sns::Client::new(sdk);
    let mut pages = sns.list_topics().into_paginator().send();
    while let Some(page) = pages.next().await {
        for t in page.context("listing SNS topics")?.topics() {
            if let Some(arn) = t.topic_arn() {
                if arn.rsplit(':').next() == Some(name) {
                    return Ok(Some(arn.to_string()));
                }
            }
        }
    }
    Ok(None)
}

/// Whether an SDK error comes from finding no credentials at all (the typed
/// `CredentialsNotLoaded` anywhere in its chain of sources).
const NO_CREDENTIALS: &str = "no AWS credentials found (looked in the environment, the profiles of ~/.aws, SSO, web identity, \
                              the ECS container and instance metadata): pass `--profile`, set `AWS_PROFILE`, or run `aws configure`";

/// What to do about an error that came from talking to AWS, in a line: the typed cause
/// (no credentials, an endpoint that cannot be reached, a permission missing) with what
/// to do next. `None` when the error is not one of these.
pub fn explain(e: &anyhow::Error) -> Option<String> {
    use aws_smithy_runtime_api::client::result::ConnectorError;
    let chain = || e.chain();
    if chain().any(no_credentials) {
        return Some(NO_CREDENTIALS.into());
    }
    if let Some(c) = chain().find_map(|c| c.downcast_ref::<ConnectorError>()) {
        let io = chain().find_map(|c| c.downcast_ref::<std::io::Error>()).map(|io| io.kind());
        let why = if c.is_timeout() {
            "it did not answer in time"
        } else if io == Some(std::io::ErrorKind::ConnectionRefused) {
            "nothing listens there"
        } else if chain().any(|c| c.to_string().contains("dns error")) {
            "its host name does not resolve"
        } else {
            "the connection failed"
        };
        return Some(format!(
            "cannot reach the AWS endpoint ({why}): check `--endpoint-url` / `AWS_ENDPOINT_URL`, `--region`, and the network"
        ));
    }
    let said = |words: &[&str]| chain().any(|c| words.iter().any(|w| c.to_string().contains(w)));
    if said(&["InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "ExpiredToken"]) {
        return Some(
            "AWS does not accept these credentials (unknown, mistyped or expired): check the access key and secret, or the \
             profile (`--profile`, `AWS_PROFILE`; `aws sso login` for SSO)"
                .into(),
        );
    }
    if said(&["AccessDenied", "not authorized to perform", "UnauthorizedOperation"]) {
        return Some("the credentials are valid but lack a permission this command needs: the README lists what each command uses".into());
    }
    None
}

/// A service's refusal in words: its error code and message, and the HTTP status. When
/// the SDK could not read the code (an endpoint that answers in another error shape —
/// moto's STS wraps `<Error>` in `<Errors>`), they are read from the response body.
fn refusal<E: aws_sdk_sts::error::ProvideErrorMetadata>(
    e: &aws_smithy_runtime_api::client::result::SdkError<E, aws_smithy_runtime_api::http::Response>,
) -> Option<String> {
    let response = e.raw_response()?;
    let status = response.status().as_u16();
    let body = response.body().bytes().map(String::from_utf8_lossy).unwrap_or_default();
    let tag = |name: &str| {
        let start = body.find(&format!("<{name}>"))? + name.len() + 2;
        let end = body[start..].find(&format!("</{name}>"))?;
        Some(body[start..start + end].to_string())
    };
    let service = e.as_service_error();
    let code = service.and_then(|s| s.code().map(str::to_string)).or_else(|| tag("Code"));
    let message = service.and_then(|s| s.message().map(str::to_string)).or_else(|| tag("Message"));
    Some(match (code, message) {
        (Some(c), Some(m)) => format!("{c}: {m} (HTTP {status})"),
        (Some(c), None) => format!("{c} (HTTP {status})"),
        (None, _) => format!("HTTP {status}, an error response that could not be read"),
    })
}

fn no_credentials(e: &(dyn std::error::Error + 'static)) -> bool {
    use aws_credential_types::provider::error::CredentialsError;
    let mut source = Some(e);
    while let Some(err) = source {
        if matches!(err.downcast_ref::<CredentialsError>(), Some(CredentialsError::CredentialsNotLoaded(_))) {
            return true;
        }
        source = err.source();
    }
    false
}

/// The URL of the SQS queue named `name`.
pub async fn queue_url(sqs: &aws_sdk_sqs::Client, name: &str) -> Result<String> {
    let out = sqs.get_queue_url().queue_name(name).send().await.with_context(|| format!("finding queue `{name}`: is the stack up?"))?;
    Ok(out.queue_url().unwrap_or_default().to_string())
}

/// `maxReceiveCount` of a redrive policy (SQS has answered with a number and a string).
pub fn max_receive_count(policy: &serde_json::Value) -> Option<u32> {
    let v = &policy["maxReceiveCount"];
    v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok())).map(|n| n as u32)
}

/// The partition a region belongs to.
pub fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

macro_rules! client {
    ($krate:ident, $sdk:expr, $calls:expr) => {
        $krate::Client::from_conf($krate::config::Builder::from($sdk).interceptor($calls.clone()).build())
    };
}

/// One client per service, all counting their requests into `calls`.
#[derive(Debug, Clone)]
pub struct Aws {
    pub env: Env,
    pub calls: Calls,
    pub sdk: aws_config::SdkConfig,
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub sns: aws_sdk_sns::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub lambda: aws_sdk_lambda::Client,
    pub iam: aws_sdk_iam::Client,
    pub pipes: aws_sdk_pipes::Client,
    pub cloudwatch: aws_sdk_cloudwatch::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub apigateway: aws_sdk_apigatewayv2::Client,
}

impl Aws {
    /// Connects and finds out who and where we are (`sts:GetCallerIdentity`).
    pub async fn connect(ctx: &Context) -> Result<Aws> {
        Aws::from_sdk(sdk_config(ctx).await).await
    }

    /// `connect` with an SDK configuration made elsewhere (a test's, with its own
    /// endpoint and credentials).
    pub async fn from_sdk(sdk: aws_config::SdkConfig) -> Result<Aws> {
        let calls = Calls::new();
        let region = sdk
            .region()
            .map(|r| r.to_string())
            .context("no AWS region: pass `--region`, set `AWS_REGION`, or give the profile one (`region = ...` in ~/.aws/config)")?;
        let sts = client!(aws_sdk_sts, &sdk, calls);
        let who = sts.get_caller_identity().send().await.map_err(|e| {
            if no_credentials(&e) {
                anyhow::anyhow!(NO_CREDENTIALS)
            } else if let Some(refusal) = refusal(&e) {
                anyhow::anyhow!("AWS refused sts:GetCallerIdentity: {refusal}")
            } else {
                anyhow::Error::new(e).context("cannot reach AWS as anyone (sts:GetCallerIdentity failed)")
            }
        })?;
        let env = Env {
            account: who.account().unwrap_or_default().to_string(),
            partition: partition(&region).to_string(),
            region,
            endpoint: sdk.endpoint_url().map(str::to_string),
            service_endpoints: other_endpoints(&sdk, sdk.endpoint_url()),
        };
        Ok(Aws {
            env,
            dynamodb: client!(aws_sdk_dynamodb, &sdk, calls),
            sns: client!(aws_sdk_sns, &sdk, calls),
            sqs: client!(aws_sdk_sqs, &sdk, calls),
            lambda: client!(aws_sdk_lambda, &sdk, calls),
            iam: client!(aws_sdk_iam, &sdk, calls),
            pipes: client!(aws_sdk_pipes, &sdk, calls),
            cloudwatch: client!(aws_sdk_cloudwatch, &sdk, calls),
            logs: client!(aws_sdk_cloudwatchlogs, &sdk, calls),
            apigateway: client!(aws_sdk_apigatewayv2, &sdk, calls),
            sdk,
            calls,
        })
    }

    /// The line every command that acts on AWS shows first.
    pub fn describe(&self, stack: &str) -> String {
        // Services sent elsewhere, grouped by where: `sns, sqs → http://…`.
        let mut elsewhere: std::collections::BTreeMap<&str, Vec<&str>> = std::collections::BTreeMap::new();
        for (service, url) in &self.env.service_endpoints {
            elsewhere.entry(url).or_default().push(service);
        }
        let others: String = elsewhere.iter().map(|(url, services)| format!(" ({} → {url})", services.join(", "))).collect();
        format!(
            "target: aws · account {} · region {} · endpoint {}{others} · stack `{stack}`",
            self.env.account,
            self.env.region,
            self.env.endpoint.as_deref().unwrap_or("AWS (default)")
        )
    }
}

/// A credentials provider that registers the secrets it hands out.
#[derive(Debug)]
pub struct Registering(pub SharedCredentialsProvider);

impl ProvideCredentials for Registering {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let credentials = self.0.provide_credentials().await?;
            crate::logging::register(credentials.secret_access_key());
            if let Some(token) = credentials.session_token() {
                crate::logging::register(token);
            }
            provider::Result::Ok(credentials)
        })
    }
}
