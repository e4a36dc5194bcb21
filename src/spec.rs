//! The desired state of a stack: every resource of the pipeline (REFERENCE §2) with
//! the settings that matter, built from the stack name and the pipeline settings. Both
//! targets provision from this one description; `status` compares against it.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::fmt;
use std::time::Duration;

/// The tag every resource of a stack carries.
pub const STACK_TAG: &str = "orderctl:stack";

/// The settings of a pipeline that a user may change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// Receives before SQS moves a message to the DLQ.
    pub max_receive_count: u32,
    pub visibility_timeout_ms: u64,
    pub function_timeout_ms: u64,
    pub batch_size: u32,
    pub batching_window_ms: u64,
    /// Concurrent batches per event source mapping.
    pub max_concurrency: u32,
    pub high_value_threshold: f64,
    pub alarm_period_ms: u64,
    pub queue_retention_ms: u64,
    pub dlq_retention_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_email: Option<String>,
    /// Whether the event source mappings run. Off for an emulator that runs no Lambda
    /// code (moto would receive every message itself and fail it): `orderctl lambda
    /// mappings` then does their work.
    #[serde(default = "yes")]
    pub mappings_enabled: bool,
    /// Days the functions' log groups keep their events (aws).
    #[serde(default = "two_weeks")]
    pub log_retention_days: u32,
}

fn yes() -> bool {
    true
}

fn two_weeks() -> u32 {
    14
}

impl Settings {
    /// The local engine's defaults: AWS's rules, with timings short enough that a
    /// FAIL order reaches the DLQ and the alarm fires within seconds.
    pub fn local() -> Self {
        Settings {
            max_receive_count: 3,
            visibility_timeout_ms: 1_500,
            function_timeout_ms: 250,
            batch_size: 10,
            batching_window_ms: 0,
            max_concurrency: 2,
            high_value_threshold: 10_000.0,
            alarm_period_ms: 1_000,
            queue_retention_ms: 4 * 24 * 3_600_000,
            dlq_retention_ms: 14 * 24 * 3_600_000,
            alert_email: None,
            mappings_enabled: true,
            log_retention_days: two_weeks(),
        }
    }

    /// Defaults for real AWS.
    pub fn aws() -> Self {
        Settings {
            visibility_timeout_ms: 180_000,
            function_timeout_ms: 30_000,
            max_concurrency: 5,
            alarm_period_ms: 60_000,
            ..Settings::local()
        }
    }

    /// Checks the settings against the rules AWS enforces (REFERENCE §6).
    pub fn validate(&self) -> Result<(), String> {
        if self.max_receive_count == 0 || self.max_receive_count > 1000 {
            return Err(format!("`max-receive-count` must be from 1 to 1000, got {}", self.max_receive_count));
        }
        if self.function_timeout_ms == 0 || self.function_timeout_ms > 900_000 {
            return Err(format!(
                "`function-timeout` must be above zero and at most 15m (Lambda's limit), got {}",
                fmt_ms(self.function_timeout_ms)
            ));
        }
        if self.batching_window_ms > 300_000 {
            return Err(format!("`batching-window` must be at most 5m (Lambda's limit), got {}", fmt_ms(self.batching_window_ms)));
        }
        if self.visibility_timeout_ms < 6 * self.function_timeout_ms {
            return Err(format!(
                "`visibility-timeout` ({}) must be at least 6 × `function-timeout` ({}): Lambda refuses an SQS mapping otherwise",
                fmt_ms(self.visibility_timeout_ms),
                fmt_ms(self.function_timeout_ms)
            ));
        }
        if self.visibility_timeout_ms > 12 * 3_600_000 {
            return Err("`visibility-timeout` must be at most 12 hours".into());
        }
        if !(1..=10_000).contains(&self.batch_size) {
            return Err(format!("`batch-size` must be from 1 to 10000, got {}", self.batch_size));
        }
        if self.batch_size > 10 && self.batching_window_ms == 0 {
            return Err("a `batch-size` above 10 needs a `batching-window` above zero".into());
        }
        if !(1..=1000).contains(&self.max_concurrency) {
            return Err(format!("`concurrency` must be from 1 to 1000, got {}", self.max_concurrency));
        }
        if !(self.high_value_threshold.is_finite() && self.high_value_threshold >= 0.0) {
            return Err("`threshold` must be a non-negative number".into());
        }
        if self.alarm_period_ms < 100 {
            return Err("`alarm-period` must be at least 100ms".into());
        }
        if self.alarm_period_ms > 86_400_000 {
            // CloudWatch: an alarm's period × evaluation periods is at most one day.
            return Err(format!("`alarm-period` must be at most 1 day (CloudWatch's limit), got {}", fmt_ms(self.alarm_period_ms)));
        }
        Ok(())
    }

    pub fn rules(&self) -> order_domain::Rules {
        order_domain::Rules { high_value_threshold: self.high_value_threshold }
    }
}

pub fn fmt_ms(ms: u64) -> String {
    humantime::format_duration(Duration::from_millis(ms)).to_string()
}

/// Which of the stack's functions a resource runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Handler {
    OrderWorker,
    HighValueWorker,
    CreateOrder,
    /// A worker of `send --workers` (aws): deployed on demand, not by `up`.
    LoadGenerator,
}

/// How an SNS subscription delivers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "protocol", rename_all = "lowercase")]
pub enum Endpoint {
    Sqs { queue: String, raw_delivery: bool },
    Email { address: String },
}

/// A global secondary index of a table: its keys and the attributes it copies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableIndex {
    pub name: String,
    pub partition_key: String,
    pub sort_key: String,
    /// Attributes besides the keys that the index holds (`INCLUDE` projection).
    pub projected: Vec<String>,
}

/// The index `orders` reads: each status's orders by `createdAt`.
pub const STATUS_INDEX: &str = "status-createdAt";

/// The index `orders` reads, with what a listed row shows, so that a page is one query
/// per status and no read of the table itself.
pub fn status_index() -> TableIndex {
    TableIndex {
        name: STATUS_INDEX.into(),
        partition_key: "status".into(),
        sort_key: "createdAt".into(),
        // Sorted, as DynamoDB is free to answer them in any order.
        projected: ["amount", "attempts", "failureReason", "kind", "review", "runId", "settledAt"].map(String::from).to_vec(),
    }
}

/// One resource of the stack, with the settings `up` applies and `status` checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Resource {
    Table {
        name: String,
        partition_key: String,
        stream_view_type: String,
        /// Global secondary indexes (aws; stacks made before `orders` had none).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        indexes: Vec<TableIndex>,
    },
    Topic {
        name: String,
    },
    Queue {
        name: String,
        visibility_timeout_ms: u64,
        retention_ms: u64,
        delay_ms: u64,
        redrive: Option<Redrive>,
        /// The queue policy (aws): who may send.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        policy: Option<Value>,
        /// Server-side encryption with SQS-managed keys (aws).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sse: Option<bool>,
    },
    Subscription {
        name: String,
        topic: String,
        endpoint: Endpoint,
    },
    Function {
        name: String,
        handler: Handler,
        timeout_ms: u64,
        memory_mb: u32,
        environment: Vec<(String, String)>,
        /// How the function is deployed on AWS; absent on the local target.
        #[serde(default, flatten, skip_serializing_if = "Option::is_none")]
        deployment: Option<Deployment>,
    },
    EventSourceMapping {
        name: String,
        queue: String,
        function: String,
        batch_size: u32,
        batching_window_ms: u64,
        max_concurrency: u32,
        report_batch_item_failures: bool,
        #[serde(default = "yes")]
        enabled: bool,
    },
    Pipe {
        name: String,
        source_table: String,
        target_queue: String,
        filter: Value,
        input_template: String,
        /// The role the pipe runs as (aws).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<String>,
    },
    Alarm {
        name: String,
        queue: String,
        metric: String,
        statistic: String,
        period_ms: u64,
        evaluation_periods: u32,
        threshold: f64,
        comparison: String,
        treat_missing_data: String,
        actions_topic: String,
    },
    /// An IAM role (aws): who may assume it, and its one inline policy.
    Role {
        name: String,
        trust: Value,
        policy: Value,
    },
    /// An API Gateway HTTP API (aws): one route to a function, one stage, CORS.
    /// A function's CloudWatch Logs group (aws): made before the function, with a
    /// retention and the stack's tag, so that it is the stack's and `down` deletes it
    /// (Lambda would make one on the first invocation that nothing ever deletes).
    LogGroup {
        name: String,
        retention_days: u32,
    },
    HttpApi {
        name: String,
        route: String,
        function: String,
        stage: String,
        cors_origins: Vec<String>,
        /// Whether API Gateway may invoke the function.
        invoke_permission: bool,
    },
}

/// A function's deployment on AWS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deployment {
    pub runtime: String,
    pub architecture: String,
    pub role: String,
    /// Lambda's `CodeSha256` (base64) of the zip.
    pub code_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Redrive {
    pub dead_letter_queue: String,
    pub max_receive_count: u32,
}

impl Resource {
    pub fn kind(&self) -> &'static str {
        match self {
            Resource::Table { .. } => "table",
            Resource::Topic { .. } => "topic",
            Resource::Queue { .. } => "queue",
            Resource::Subscription { .. } => "subscription",
            Resource::Function { .. } => "function",
            Resource::EventSourceMapping { .. } => "event-source-mapping",
            Resource::Pipe { .. } => "pipe",
            Resource::Alarm { .. } => "alarm",
            Resource::Role { .. } => "role",
            Resource::LogGroup { .. } => "log-group",
            Resource::HttpApi { .. } => "http-api",
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Resource::Table { name, .. }
            | Resource::Topic { name }
            | Resource::Queue { name, .. }
            | Resource::Subscription { name, .. }
            | Resource::Function { name, .. }
            | Resource::EventSourceMapping { name, .. }
            | Resource::Pipe { name, .. }
            | Resource::Alarm { name, .. }
            | Resource::Role { name, .. }
            | Resource::LogGroup { name, .. }
            | Resource::HttpApi { name, .. } => name,
        }
    }

    /// `<kind>/<name>`: unique within a stack.
    pub fn id(&self) -> String {
        format!("{}/{}", self.kind(), self.name())
    }

    /// The settings that differ from `other`'s, by field name.
    pub fn differences(&self, other: &Resource) -> Vec<String> {
        let (a, b) = (serde_json::to_value(self).unwrap_or_default(), serde_json::to_value(other).unwrap_or_default());
        match (a.as_object(), b.as_object()) {
            (Some(a), Some(b)) => {
                let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
                keys.sort();
                keys.dedup();
                keys.into_iter().filter(|k| a.get(*k) != b.get(*k)).map(|k| k.to_string()).collect()
            }
            _ => vec!["type".into()],
        }
    }
}

/// The names of a stack's resources.
#[derive(Debug, Clone)]
pub struct Names {
    pub stack: String,
}

impl Names {
    pub fn new(stack: &str) -> Self {
        Names { stack: stack.to_string() }
    }
    fn n(&self, s: &str) -> String {
        format!("{}-{s}", self.stack)
    }
    pub fn table(&self) -> String {
        self.n("orders")
    }
    pub fn orders_topic(&self) -> String {
        self.n("orders")
    }
    pub fn alerts_topic(&self) -> String {
        self.n("alerts")
    }
    pub fn orders_queue(&self) -> String {
        self.n("orders")
    }
    pub fn dlq(&self) -> String {
        self.n("orders-dlq")
    }
    pub fn high_value_queue(&self) -> String {
        self.n("high-value")
    }
    /// The CloudWatch Logs group Lambda writes function `function`'s output to.
    pub fn log_group(&self, function: &str) -> String {
        format!("/aws/lambda/{function}")
    }

    pub fn function(&self, h: Handler) -> String {
        self.n(match h {
            Handler::OrderWorker => "order-worker",
            Handler::HighValueWorker => "high-value-worker",
            Handler::CreateOrder => "create-order",
            Handler::LoadGenerator => "load-generator",
        })
    }
    pub fn pipe(&self) -> String {
        self.n("high-value")
    }
    pub fn alarm(&self) -> String {
        self.n("dlq-not-empty")
    }
    pub fn http_api(&self) -> String {
        self.n("orders-api")
    }
}

/// A stack name: what every resource name starts with.
pub fn validate_stack_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 32
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && !name.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(format!("stack name `{name}` must be 1–32 letters, digits or `-`, start with a letter and not end with `-`"))
    }
}

/// The pipe's filter. It routes on the string `tier` the worker writes, not on
/// `amount`: a stream record's numbers are strings (`{"N": "15000"}`), which an
/// EventBridge numeric filter never matches. It takes only settled records that have
/// no review yet, so the review's own write does not loop back: the test is on the
/// review's `verdict`, a leaf, because `exists` only sees leaves — on `review`, a map,
/// `exists: false` would hold for a reviewed order too (EventBridge, "Comparison
/// operators": they "only work on leaf nodes").
pub fn pipe_filter() -> Value {
    json!({
        "eventName": ["INSERT", "MODIFY"],
        "dynamodb": {
            "NewImage": {
                "tier": { "S": ["high-value"] },
                "status": { "S": ["FAILED", "COMPLETED"] },
                "review": { "M": { "verdict": { "S": [{ "exists": false }] } } }
            }
        }
    })
}

/// The pipe's input template: the high-value worker's message, from the stream record.
pub fn pipe_input_template() -> String {
    r#"{"orderId": "<$.dynamodb.NewImage.orderId.S>", "amount": "<$.dynamodb.NewImage.amount.N>", "quantity": "<$.dynamodb.NewImage.quantity.N>", "customerName": "<$.dynamodb.NewImage.customerName.S>", "status": "<$.dynamodb.NewImage.status.S>"}"#.to_string()
}

/// The desired state of stack `stack` with `settings`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StackSpec {
    pub stack: String,
    pub settings: Settings,
    pub resources: Vec<Resource>,
}

impl StackSpec {
    pub fn new(stack: &str, settings: Settings) -> StackSpec {
        let n = Names::new(stack);
        let s = &settings;
        let queue = |name: String, vt: u64, retention: u64, redrive: Option<Redrive>| Resource::Queue {
            name,
            visibility_timeout_ms: vt,
            retention_ms: retention,
            delay_ms: 0,
            redrive,
            policy: None,
            sse: None,
        };
        let function = |h: Handler| Resource::Function {
            name: n.function(h),
            handler: h,
            timeout_ms: s.function_timeout_ms,
            memory_mb: 256,
            environment: {
                let mut env = vec![("HIGH_VALUE_THRESHOLD".into(), s.high_value_threshold.to_string())];
                if h == Handler::OrderWorker {
                    // The worker records an order as dead-lettered on its last receive.
                    env.push(("MAX_RECEIVE_COUNT".into(), s.max_receive_count.to_string()));
                }
                env.push(("ORDERS_TABLE".into(), n.table()));
                env
            },
            deployment: None,
        };
        let mapping = |q: String, h: Handler, concurrency: u32| Resource::EventSourceMapping {
            name: format!("{q}->{}", n.function(h)),
            queue: q,
            function: n.function(h),
            batch_size: s.batch_size,
            batching_window_ms: s.batching_window_ms,
            max_concurrency: concurrency,
            report_batch_item_failures: true,
            enabled: s.mappings_enabled,
        };
        let mut resources = vec![
            Resource::Table {
                name: n.table(),
                partition_key: "orderId".into(),
                stream_view_type: "NEW_AND_OLD_IMAGES".into(),
                // aws adds the index `orders` reads (`aws::desired`); the local
                // database has its own.
                indexes: Vec::new(),
            },
            Resource::Topic { name: n.orders_topic() },
            Resource::Topic { name: n.alerts_topic() },
            queue(n.dlq(), s.visibility_timeout_ms, s.dlq_retention_ms, None),
            queue(
                n.orders_queue(),
                s.visibility_timeout_ms,
                s.queue_retention_ms,
                Some(Redrive { dead_letter_queue: n.dlq(), max_receive_count: s.max_receive_count }),
            ),
            queue(n.high_value_queue(), s.visibility_timeout_ms, s.queue_retention_ms, None),
            Resource::Subscription {
                name: format!("{}->{}", n.orders_topic(), n.orders_queue()),
                topic: n.orders_topic(),
                endpoint: Endpoint::Sqs { queue: n.orders_queue(), raw_delivery: true },
            },
            function(Handler::OrderWorker),
            function(Handler::HighValueWorker),
            function(Handler::CreateOrder),
            mapping(n.orders_queue(), Handler::OrderWorker, s.max_concurrency),
            mapping(n.high_value_queue(), Handler::HighValueWorker, s.max_concurrency.div_ceil(2)),
            Resource::Pipe {
                name: n.pipe(),
                source_table: n.table(),
                target_queue: n.high_value_queue(),
                filter: pipe_filter(),
                input_template: pipe_input_template(),
                role: None,
            },
            Resource::Alarm {
                name: n.alarm(),
                queue: n.dlq(),
                metric: "ApproximateNumberOfMessagesVisible".into(),
                statistic: "Maximum".into(),
                period_ms: s.alarm_period_ms,
                evaluation_periods: 1,
                threshold: 1.0,
                comparison: "GreaterThanOrEqualToThreshold".into(),
                treat_missing_data: "notBreaching".into(),
                actions_topic: n.alerts_topic(),
            },
        ];
        if let Some(address) = &s.alert_email {
            resources.push(Resource::Subscription {
                name: format!("{}->{address}", n.alerts_topic()),
                topic: n.alerts_topic(),
                endpoint: Endpoint::Email { address: address.clone() },
            });
        }
        StackSpec { stack: stack.to_string(), settings, resources }
    }

    pub fn names(&self) -> Names {
        Names::new(&self.stack)
    }
}

impl Handler {
    /// The pipeline's handlers: what `up` deploys.
    pub const ALL: [Handler; 3] = [Handler::OrderWorker, Handler::HighValueWorker, Handler::CreateOrder];
}

impl fmt::Display for Handler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Handler::OrderWorker => "order-worker",
            Handler::HighValueWorker => "high-value-worker",
            Handler::CreateOrder => "create-order",
            Handler::LoadGenerator => "load-generator",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_holds_every_resource_of_the_pipeline_once() {
        let spec = StackSpec::new("demo", Settings::local());
        let mut ids: Vec<String> = spec.resources.iter().map(Resource::id).collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "resource ids are unique");
        for id in
            ["table/demo-orders", "queue/demo-orders-dlq", "pipe/demo-high-value", "alarm/demo-dlq-not-empty", "function/demo-order-worker"]
        {
            assert!(ids.contains(&id.to_string()), "{id} missing from {ids:?}");
        }
        let redrive = spec.resources.iter().find_map(|r| match r {
            Resource::Queue { name, redrive: Some(r), .. } if name == "demo-orders" => Some(r.clone()),
            _ => None,
        });
        assert_eq!(redrive, Some(Redrive { dead_letter_queue: "demo-orders-dlq".into(), max_receive_count: 3 }));
    }

    #[test]
    fn settings_enforce_aws_rules() {
        assert_eq!(Settings::local().validate(), Ok(()));
        assert_eq!(Settings::aws().validate(), Ok(()));
        let bad = Settings { visibility_timeout_ms: 1_000, function_timeout_ms: 500, ..Settings::local() };
        assert!(bad.validate().unwrap_err().contains("6 ×"));
        assert!(Settings { max_receive_count: 0, ..Settings::local() }.validate().is_err());
    }

    #[test]
    fn differences_name_the_fields() {
        let q = |vt| Resource::Queue {
            name: "q".into(),
            visibility_timeout_ms: vt,
            retention_ms: 2,
            delay_ms: 0,
            redrive: None,
            policy: None,
            sse: None,
        };
        let (a, b) = (q(1), q(5));
        assert_eq!(a.differences(&b), vec!["visibility_timeout_ms".to_string()]);
        assert!(a.differences(&a).is_empty());
    }

    #[test]
    fn stack_names_are_checked() {
        assert!(validate_stack_name("orderctl").is_ok());
        assert!(validate_stack_name("ci-42").is_ok());
        for bad in ["", "9lives", "has space", "trailing-", "a/b"] {
            assert!(validate_stack_name(bad).is_err(), "{bad}");
        }
    }
}
