//! EventBridge event patterns and input templates, as EventBridge Pipes apply them.
//!
//! Matching follows EventBridge's rules, including the one that bites: a `numeric`
//! filter matches JSON numbers only, so it never matches a DynamoDB stream record's
//! numbers, which are strings (`{"N": "15000"}`).

use serde_json::{Map, Value};

/// Whether `event` matches `pattern`.
pub fn matches(pattern: &Value, event: &Value) -> bool {
    match pattern.as_object() {
        Some(p) => match_object(p, event.as_object().unwrap_or(&Map::new())),
        None => false,
    }
}

fn match_object(pattern: &Map<String, Value>, event: &Map<String, Value>) -> bool {
    pattern.iter().all(|(key, sub)| {
        if key == "$or" {
            return sub.as_array().is_some_and(|alts| alts.iter().any(|alt| alt.as_object().is_some_and(|a| match_object(a, event))));
        }
        match sub {
            // A missing parent is an empty object: only `exists: false` leaves match.
            Value::Object(inner) => match_object(inner, event.get(key).and_then(Value::as_object).unwrap_or(&Map::new())),
            Value::Array(matchers) => match_leaf(matchers, event.get(key)),
            _ => false,
        }
    })
}

fn match_leaf(matchers: &[Value], value: Option<&Value>) -> bool {
    let values: Vec<&Value> = match value {
        None => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v) => vec![v],
    };
    // `exists` sees leaves only ("comparison operators only work on leaf nodes, with the
    // exception of $or and anything-but": EventBridge, Comparison operators): an object
    // here is an intermediate node, and an empty array holds no value, so in neither
    // case does a leaf of this name exist (as in Event Ruler, EventBridge's matcher,
    // which flattens an event into its leaves' paths and values).
    let leaf = || value.is_some_and(has_leaf);
    matchers.iter().any(|m| match m {
        Value::Object(filter) if filter.contains_key("exists") => match filter["exists"].as_bool() {
            Some(want) => leaf() == want,
            None => false,
        },
        _ => values.iter().any(|v| match_one(m, v)),
    })
}

/// Whether `value` is, or holds in its arrays, a value that is not an object.
fn has_leaf(value: &Value) -> bool {
    match value {
        Value::Object(_) => false,
        Value::Array(items) => items.iter().any(has_leaf),
        _ => true,
    }
}

fn match_one(matcher: &Value, value: &Value) -> bool {
    match matcher {
        Value::Object(filter) => filter.iter().all(|(op, arg)| match op.as_str() {
            "prefix" => match (arg, value) {
                (Value::String(p), Value::String(s)) => s.starts_with(p.as_str()),
                (Value::Object(o), Value::String(s)) => {
                    o.get("equals-ignore-case").and_then(Value::as_str).is_some_and(|p| s.to_lowercase().starts_with(&p.to_lowercase()))
                }
                _ => false,
            },
            "suffix" => matches!((arg, value), (Value::String(p), Value::String(s)) if s.ends_with(p.as_str())),
            "equals-ignore-case" => matches!((arg, value), (Value::String(p), Value::String(s)) if p.eq_ignore_ascii_case(s)),
            "wildcard" => matches!((arg, value), (Value::String(p), Value::String(s)) if wildcard(p, s)),
            "anything-but" => match arg {
                Value::Array(vals) => !vals.iter().any(|v| literal_eq(v, value)),
                Value::Object(_) => !match_one(arg, value),
                v => !literal_eq(v, value),
            },
            "numeric" => value.as_f64().filter(|_| value.is_number()).is_some_and(|x| numeric(arg, x)),
            _ => false,
        }),
        literal => literal_eq(literal, value),
    }
}

fn literal_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn numeric(arg: &Value, x: f64) -> bool {
    let Some(terms) = arg.as_array() else { return false };
    terms.chunks(2).all(|pair| match pair {
        [Value::String(op), Value::Number(n)] => {
            let n = n.as_f64().unwrap_or(f64::NAN);
            match op.as_str() {
                "<" => x < n,
                "<=" => x <= n,
                "=" => x == n,
                ">" => x > n,
                ">=" => x >= n,
                _ => false,
            }
        }
        _ => false,
    })
}

fn wildcard(pattern: &str, s: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == s;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !s.starts_with(first) || !s[first.len()..].ends_with(last) || s.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &s[first.len()..s.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

/// Fills an input template: each `<$.path>` becomes the event's value at that path —
/// its text when the placeholder sits inside a JSON string, its JSON otherwise.
pub fn render_template(template: &str, event: &Value) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        if c == '<' && rest.starts_with("<$") {
            if let Some(end) = rest.find('>') {
                let value = lookup(event, &rest[2..end]);
                match (in_string, value) {
                    (true, Some(Value::String(s))) => out.push_str(escape_inner(s).as_str()),
                    (true, Some(v)) => out.push_str(escape_inner(&v.to_string()).as_str()),
                    (true, None) => {}
                    (false, Some(v)) => out.push_str(&v.to_string()),
                    (false, None) => out.push_str("null"),
                }
                rest = &rest[end + 1..];
                continue;
            }
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn escape_inner(s: &str) -> String {
    let quoted = Value::String(s.to_string()).to_string();
    quoted[1..quoted.len() - 1].to_string()
}

/// The value at a JSONPath like `.dynamodb.NewImage.amount.N` (the part after `$`).
fn lookup<'a>(event: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').filter(|p| !p.is_empty()).try_fold(event, |v, key| v.get(key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stream_record(amount: &str, tier: &str) -> Value {
        json!({"eventName": "INSERT", "dynamodb": {"NewImage": {
            "orderId": {"S": "o-1"}, "amount": {"N": amount}, "tier": {"S": tier}, "status": {"S": "FAILED"}}}})
    }

    #[test]
    fn numeric_filter_never_matches_stream_strings() {
        // The trap of REFERENCE §2: this pattern looks right and routes nothing.
        let trap = json!({"dynamodb": {"NewImage": {"amount": {"N": [{"numeric": [">", 10000]}]}}}});
        assert!(!matches(&trap, &stream_record("15000", "high-value")));
        // The same filter on a JSON number does match.
        assert!(matches(&json!({"amount": [{"numeric": [">", 10000]}]}), &json!({"amount": 15000})));
        assert!(!matches(&json!({"amount": [{"numeric": [">", 10000, "<=", 20000]}]}), &json!({"amount": 25000})));
    }

    #[test]
    fn the_stack_filter_routes_on_the_tier_string() {
        let filter = crate::spec::pipe_filter();
        assert!(matches(&filter, &stream_record("15000", "high-value")));
        assert!(!matches(&filter, &stream_record("150", "standard")));
        let mut reviewed = stream_record("15000", "high-value");
        reviewed["eventName"] = json!("MODIFY");
        reviewed["dynamodb"]["NewImage"]["review"] =
            json!({"M": {"verdict": {"S": "manual-review"}, "score": {"N": "40"}, "reasons": {"L": []}}});
        assert!(!matches(&filter, &reviewed), "the review's own write must not loop back");
        // The filter as it was, on `review` itself: a map is not a leaf, so `exists:
        // false` held for the reviewed order and routed it again.
        let mut on_the_map = filter.clone();
        on_the_map["dynamodb"]["NewImage"]["review"] = json!([{"exists": false}]);
        assert!(matches(&on_the_map, &reviewed), "exists sees leaves only");
        let mut retrying = stream_record("15000", "high-value");
        retrying["dynamodb"]["NewImage"]["status"] = json!({"S": "RETRYING"});
        assert!(!matches(&filter, &retrying));
    }

    #[test]
    fn content_filters() {
        let e = json!({"a": "order-17", "b": 5, "c": ["x", "y"], "d": null});
        assert!(matches(&json!({"a": [{"prefix": "order-"}]}), &e));
        assert!(matches(&json!({"a": [{"suffix": "-17"}]}), &e));
        assert!(matches(&json!({"a": [{"wildcard": "or*-1*"}]}), &e));
        assert!(matches(&json!({"a": [{"equals-ignore-case": "ORDER-17"}]}), &e));
        assert!(matches(&json!({"b": [{"anything-but": [1, 2]}]}), &e));
        assert!(!matches(&json!({"b": [{"anything-but": 5}]}), &e));
        assert!(matches(&json!({"c": ["y"]}), &e), "arrays match when any element does");
        assert!(matches(&json!({"d": [null]}), &e));
        assert!(matches(&json!({"zz": [{"exists": false}]}), &e));
        assert!(!matches(&json!({"a": [{"exists": false}]}), &e));
        assert!(matches(&json!({"missing": {"deeper": [{"exists": false}]}}), &e));
        // `exists` sees leaves only: `n` is an object, so no leaf `n` exists.
        let nested = json!({"n": {"m": "deep"}});
        assert!(matches(&json!({"n": [{"exists": false}]}), &nested));
        assert!(!matches(&json!({"n": [{"exists": true}]}), &nested));
        assert!(matches(&json!({"n": {"m": [{"exists": true}]}}), &nested));
        assert!(!matches(&json!({"c": [{"exists": true}]}), &json!({"c": []})), "an empty array holds no leaf");
        assert!(!matches(&json!({"missing": ["x"]}), &e));
        assert!(matches(&json!({"$or": [{"a": ["nope"]}, {"b": [5]}]}), &e));
        assert!(!matches(&json!({"b": ["5"]}), &e), "a string never equals a number");
    }

    #[test]
    fn templates_fill_strings_and_values() {
        let e = stream_record("15000", "high-value");
        let out = render_template(&crate::spec::pipe_input_template(), &e);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["orderId"], "o-1");
        assert_eq!(v["amount"], "15000");
        assert_eq!(v["customerName"], "", "a missing value inside quotes is empty");
        assert_eq!(render_template(r#"{"img": <$.dynamodb.NewImage.orderId>, "x": <$.nope>}"#, &e), r#"{"img": {"S":"o-1"}, "x": null}"#);
        let quoted = json!({"a": "say \"hi\""});
        let out = render_template(r#"{"a": "<$.a>"}"#, &quoted);
        assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["a"], "say \"hi\"");
    }
}
