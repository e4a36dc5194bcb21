//! The `aws` target: real AWS, or any AWS-compatible endpoint (`--endpoint-url` /
//! `AWS_ENDPOINT_URL`), through the official SDK and the standard credential chain.
//! Today it publishes loads ([`send`]); provisioning (`up` / `down` / `status`) is
//! still to come.

pub mod send;

use crate::context::Context;
use anyhow::{Context as _, Result};

/// The SDK configuration: the standard chain (environment, profiles, instance
/// credentials), with the region, profile and endpoint the command line gives.
pub async fn sdk_config(ctx: &Context) -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(5));
    if let Some(url) = &ctx.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(region) = &ctx.region {
        loader = loader.region(aws_config::Region::new(region.clone()));
    }
    if let Some(profile) = &ctx.profile {
        loader = loader.profile_name(profile);
    }
    loader.load().await
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
