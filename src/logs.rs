//! What both targets share for `orderctl logs` (and the log part of `trace`): the query,
//! one log event, and CloudWatch Logs' filter-pattern syntax — which the aws target
//! hands to `FilterLogEvents` and the local target evaluates itself, for the subset
//! that makes sense on JSON lines:
//!
//! - terms: `ERROR`, `"two words"` (every one must appear), `?a ?b` (any of them),
//!   `-term` (must not appear); case-sensitive, as CloudWatch's;
//! - JSON selectors: `{ $.level = "error" }`, `{ $.attempts >= 3 }`, `{ $.orderId != "x" }`,
//!   joined by `&&` or `||` (evaluated left to right), `*` as a wildcard in strings.

use crate::spec::Handler;
use order_domain::Micros;
use serde::Serialize;
use serde_json::Value;

/// Which lines `logs` asks for.
#[derive(Debug, Clone, Default)]
pub struct LogsQuery {
    /// Empty: every function of the stack.
    pub functions: Vec<Handler>,
    pub since: Option<Micros>,
    pub filter: Option<FilterPattern>,
    pub order_id: Option<String>,
    /// Keep reading new lines until stopped.
    pub follow: bool,
}

impl LogsQuery {
    pub fn wants(&self, handler: Handler) -> bool {
        self.functions.is_empty() || self.functions.contains(&handler)
    }

    /// Whether `event` passes the query's filters (the function and the time are the
    /// source's to select).
    pub fn matches(&self, event: &LogEvent) -> bool {
        self.order_id.as_deref().is_none_or(|id| event.order_id.as_deref() == Some(id) || event.raw.contains(id))
            && self.filter.as_ref().is_none_or(|f| f.matches(&event.raw))
    }
}

/// One line a function wrote.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEvent {
    /// µs since the epoch.
    #[serde(serialize_with = "rfc3339")]
    pub at: Micros,
    /// The function's name in the stack (`<stack>-order-worker`).
    pub function: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// The line as written: a handler's JSON, or the runtime's own text (`START …`).
    #[serde(skip)]
    pub raw: String,
    /// The line's fields, when it is JSON.
    #[serde(skip_serializing_if = "Value::is_null")]
    pub fields: Value,
}

impl LogEvent {
    /// A line as a function wrote it, at `at`.
    pub fn parse(at: Micros, function: &str, raw: &str) -> LogEvent {
        let raw = raw.trim_end();
        let fields: Value = serde_json::from_str(raw).ok().filter(Value::is_object).unwrap_or(Value::Null);
        let text = |k: &str| fields.get(k).and_then(Value::as_str).map(str::to_string);
        LogEvent {
            at,
            function: function.to_string(),
            level: text("level"),
            message: text("message").unwrap_or_else(|| raw.to_string()),
            order_id: text("orderId"),
            raw: raw.to_string(),
            fields,
        }
    }
}

fn rfc3339<S: serde::Serializer>(at: &Micros, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&order_domain::rfc3339(*at))
}

/// A parsed filter pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterPattern {
    /// As given: the aws target passes it to CloudWatch unchanged.
    pub text: String,
    kind: Pattern,
}

#[derive(Debug, Clone, PartialEq)]
enum Pattern {
    Terms {
        all: Vec<String>,
        any: Vec<String>,
        none: Vec<String>,
    },
    /// Selectors joined left to right: `(joiner is &&, selector)`; the first joiner is unused.
    Json(Vec<(bool, Selector)>),
}

#[derive(Debug, Clone, PartialEq)]
struct Selector {
    path: Vec<String>,
    op: Op,
    value: Value,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl std::str::FromStr for FilterPattern {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let kind = if let Some(body) = t.strip_prefix('{') {
            let body = body.strip_suffix('}').ok_or("a JSON filter pattern `{ … }` is not closed with `}`")?;
            Pattern::Json(parse_selectors(body)?)
        } else {
            parse_terms(t)?
        };
        Ok(FilterPattern { text: text.to_string(), kind })
    }
}

fn parse_terms(t: &str) -> Result<Pattern, String> {
    let (mut all, mut any, mut none) = (Vec::new(), Vec::new(), Vec::new());
    let mut rest = t;
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        rest = &rest[start..];
        let (sign, after) = match rest.chars().next() {
            Some(c @ ('?' | '-')) => (Some(c), &rest[1..]),
            _ => (None, rest),
        };
        let (term, tail) = if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted.find('"').ok_or_else(|| format!("the quoted term in `{t}` is not closed"))?;
            (&quoted[..end], &quoted[end + 1..])
        } else {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            (&after[..end], &after[end..])
        };
        if term.is_empty() {
            return Err(format!("`{t}` has an empty term"));
        }
        match sign {
            Some('?') => any.push(term.to_string()),
            Some(_) => none.push(term.to_string()),
            None => all.push(term.to_string()),
        }
        rest = tail;
    }
    Ok(Pattern::Terms { all, any, none })
}

fn parse_selectors(body: &str) -> Result<Vec<(bool, Selector)>, String> {
    let mut out = Vec::new();
    let (mut rest, mut and) = (body, true);
    loop {
        let next = [("&&", true), ("||", false)].into_iter().filter_map(|(s, a)| rest.find(s).map(|i| (i, a))).min_by_key(|(i, _)| *i);
        match next {
            Some((i, next_and)) => {
                out.push((and, parse_selector(&rest[..i])?));
                (rest, and) = (&rest[i + 2..], next_and);
            }
            None => {
                out.push((and, parse_selector(rest)?));
                return Ok(out);
            }
        }
    }
}

fn parse_selector(s: &str) -> Result<Selector, String> {
    let s = s.trim().trim_start_matches('(').trim_end_matches(')').trim();
    let ops = [("!=", Op::Ne), ("<=", Op::Le), (">=", Op::Ge), ("=", Op::Eq), ("<", Op::Lt), (">", Op::Gt)];
    let (i, len, op) = ops
        .iter()
        .filter_map(|(sym, op)| s.find(sym).map(|i| (i, sym.len(), *op)))
        .min_by_key(|(i, len, _)| (*i, std::cmp::Reverse(*len)))
        .ok_or_else(|| format!("`{s}` has no comparison (=, !=, <, <=, >, >=)"))?;
    let path = s[..i].trim().strip_prefix("$.").ok_or_else(|| format!("`{s}`: a selector starts with `$.`"))?;
    let raw = s[i + len..].trim();
    let value = if let Some(q) = raw.strip_prefix('"') {
        Value::String(q.strip_suffix('"').ok_or_else(|| format!("`{raw}` is not closed with `\"`"))?.to_string())
    } else if let Ok(n) = raw.parse::<f64>() {
        serde_json::Number::from_f64(n).map(Value::Number).unwrap_or(Value::Null)
    } else if raw.is_empty() {
        return Err(format!("`{s}` compares with nothing"));
    } else {
        Value::String(raw.to_string())
    };
    if matches!(op, Op::Lt | Op::Le | Op::Gt | Op::Ge) && !value.is_number() {
        return Err(format!("`{s}`: `<`, `<=`, `>` and `>=` compare numbers"));
    }
    Ok(Selector { path: path.split('.').map(str::to_string).collect(), op, value })
}

/// `*` matches any run of characters.
fn wildcard(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let mut rest = text;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else { return false };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    true
}

impl Selector {
    fn matches(&self, line: &Value) -> bool {
        let Some(v) = self.path.iter().try_fold(line, |v, k| v.get(k)) else { return self.op == Op::Ne };
        match (&self.value, self.op) {
            (Value::Number(want), op) => {
                let (Some(have), Some(want)) = (v.as_f64().or_else(|| v.as_str().and_then(|s| s.parse().ok())), want.as_f64()) else {
                    return op == Op::Ne;
                };
                match op {
                    Op::Eq => have == want,
                    Op::Ne => have != want,
                    Op::Lt => have < want,
                    Op::Le => have <= want,
                    Op::Gt => have > want,
                    Op::Ge => have >= want,
                }
            }
            (Value::String(want), op) => {
                let have = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let equal = wildcard(want, &have);
                if op == Op::Ne {
                    !equal
                } else {
                    equal
                }
            }
            _ => false,
        }
    }
}

impl FilterPattern {
    /// Whether the raw line matches.
    pub fn matches(&self, raw: &str) -> bool {
        match &self.kind {
            Pattern::Terms { all, any, none } => {
                all.iter().all(|t| raw.contains(t.as_str()))
                    && (any.is_empty() || any.iter().any(|t| raw.contains(t.as_str())))
                    && !none.iter().any(|t| raw.contains(t.as_str()))
            }
            Pattern::Json(selectors) => {
                let Ok(line) = serde_json::from_str::<Value>(raw) else { return false };
                selectors.iter().fold(None, |acc: Option<bool>, (and, s)| {
                    Some(match acc {
                        None => s.matches(&line),
                        Some(acc) if *and => acc && s.matches(&line),
                        Some(acc) => acc || s.matches(&line),
                    })
                }) == Some(true)
            }
        }
    }
}

/// The report of a `logs` command that ended (not `--follow`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogsSummary {
    pub lines: u64,
    /// Log groups (or local functions) read.
    pub sources: Vec<String>,
    /// Said once when `--follow` polls because the endpoint has no live tail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> FilterPattern {
        s.parse().unwrap()
    }

    #[test]
    fn terms_match_as_cloudwatch_terms_do() {
        let line = r#"{"level":"warn","message":"technical failure: retried","orderId":"r1-7","error":"notes say FAIL"}"#;
        assert!(p("FAIL").matches(line));
        assert!(p("FAIL r1-7").matches(line), "every term");
        assert!(!p("FAIL r1-8").matches(line));
        assert!(p(r#""technical failure""#).matches(line));
        assert!(!p(r#""failure technical""#).matches(line));
        assert!(p("?COMPLETED ?FAIL").matches(line), "any of the ? terms");
        assert!(!p("?COMPLETED ?REVIEWED").matches(line));
        assert!(!p("FAIL -retried").matches(line), "an excluded term");
        assert!(!p("Fail").matches(line), "case-sensitive");
        assert!(p("").matches(line), "the empty pattern matches everything");
    }

    #[test]
    fn json_selectors_compare_fields() {
        let line = r#"{"level":"error","message":"dead-lettered","orderId":"r1-7","attempts":3,"x":{"y":"z"}}"#;
        assert!(p(r#"{ $.level = "error" }"#).matches(line));
        assert!(p(r#"{ $.level = error }"#).matches(line), "an unquoted string");
        assert!(!p(r#"{ $.level != "error" }"#).matches(line));
        assert!(p(r#"{ $.attempts >= 3 && $.orderId = "r1-*" }"#).matches(line));
        assert!(!p(r#"{ $.attempts > 3 }"#).matches(line));
        assert!(p(r#"{ $.attempts > 3 || $.x.y = "z" }"#).matches(line), "nested, or");
        assert!(p(r#"{ $.missing != "a" }"#).matches(line), "a missing field is not equal");
        assert!(!p(r#"{ $.missing = "a" }"#).matches(line));
        assert!(!p(r#"{ $.level = "error" }"#).matches("START RequestId: 1"), "a text line has no fields");
        for bad in ["{ $.level = \"error\"", "{ level = 1 }", "{ $.level }", "{ $.level > \"a\" }", "\"open"] {
            assert!(bad.parse::<FilterPattern>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_line_is_parsed_for_its_level_message_and_order() {
        let e = LogEvent::parse(5, "s-order-worker", r#"{"level":"info","message":"completed","orderId":"r-1"}"#);
        assert_eq!((e.level.as_deref(), e.message.as_str(), e.order_id.as_deref()), (Some("info"), "completed", Some("r-1")));
        let start = LogEvent::parse(5, "s-order-worker", "START RequestId: 9 Version: $LATEST\n");
        assert_eq!((&start.level, start.message.as_str(), &start.fields), (&None, "START RequestId: 9 Version: $LATEST", &Value::Null));
        let q = LogsQuery { order_id: Some("r-1".into()), ..LogsQuery::default() };
        assert!(q.matches(&e) && !q.matches(&start));
    }
}
