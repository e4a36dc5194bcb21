//! The CloudWatch alarm on DLQ depth: each period's Maximum of
//! `ApproximateNumberOfMessagesVisible` is one datapoint; when a period closes it is
//! compared with the threshold (missing data is not breaching), and every state change
//! is recorded in the alarm's history and notified on the actions topic.

use super::{sns, Topology};
pub use crate::model::AlarmState;
use anyhow::Result;
use order_domain::{rfc3339, Micros};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq)]
pub struct AlarmConfig {
    pub name: String,
    pub queue: String,
    pub period: Micros,
    pub threshold: f64,
    pub actions_topic: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Transition {
    pub alarm: String,
    pub at: Micros,
    pub old_state: String,
    pub new_state: String,
    pub reason: String,
}

pub const INSUFFICIENT_DATA: &str = "INSUFFICIENT_DATA";

/// Creates the alarm's row if it has none.
pub fn create(c: &Connection, alarm: &AlarmConfig, now: Micros) -> Result<()> {
    c.execute(
        "INSERT OR IGNORE INTO alarms(name, state, reason, changed_at, period_index, period_max, evaluated_through)
         VALUES (?1, ?2, 'Unchecked: Initial alarm creation', ?3, ?4, NULL, ?3)",
        params![alarm.name, INSUFFICIENT_DATA, now, now / alarm.period],
    )?;
    Ok(())
}

pub fn state(c: &Connection, name: &str) -> Result<Option<AlarmState>> {
    Ok(c.query_row("SELECT name, state, reason, changed_at, evaluated_through FROM alarms WHERE name = ?1", [name], |r| {
        Ok(AlarmState { name: r.get(0)?, state: r.get(1)?, reason: r.get(2)?, changed_at: r.get(3)?, evaluated_through: r.get(4)? })
    })
    .optional()?)
}

pub fn history(c: &Connection, name: &str, since: Micros) -> Result<Vec<Transition>> {
    let mut stmt =
        c.prepare_cached("SELECT alarm, at, old_state, new_state, reason FROM alarm_history WHERE alarm = ?1 AND at >= ?2 ORDER BY id")?;
    let rows = stmt
        .query_map(params![name, since], |r| {
            Ok(Transition { alarm: r.get(0)?, at: r.get(1)?, old_state: r.get(2)?, new_state: r.get(3)?, reason: r.get(4)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Adds one sample of the metric taken at `now`; evaluates the previous period if a
/// new one has begun. Returns the state changes: at most two — the period that had
/// samples, then, when whole periods went by with none (no engine ran), the latest of
/// those, which had no datapoints (missing data is not breaching, so OK).
pub fn sample(c: &Connection, topology: &Topology, alarm: &AlarmConfig, value: u64, now: Micros) -> Result<Vec<Transition>> {
    let Some((mut state, period_index, period_max)) = c
        .query_row("SELECT state, period_index, period_max FROM alarms WHERE name = ?1", [&alarm.name], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, Option<i64>>(2)?))
        })
        .optional()?
    else {
        return Ok(Vec::new());
    };
    let index = now / alarm.period;
    if index <= period_index {
        let max = period_max.unwrap_or(0).max(value as i64);
        c.execute("UPDATE alarms SET period_max = ?2 WHERE name = ?1", params![alarm.name, max])?;
        return Ok(Vec::new());
    }
    let mut closed = vec![(period_index, period_max)];
    if index > period_index + 1 {
        closed.push((index - 1, None));
    }
    c.execute(
        "UPDATE alarms SET period_index = ?2, period_max = ?3, evaluated_through = ?4 WHERE name = ?1",
        params![alarm.name, index, value as i64, index * alarm.period],
    )?;
    let mut transitions = Vec::new();
    for (period, max) in closed {
        if let Some(t) = close(c, topology, alarm, &state, period, max, now)? {
            state = t.new_state.clone();
            transitions.push(t);
        }
    }
    Ok(transitions)
}

/// Evaluates period `period` whose Maximum was `max` (None: no datapoints) for an alarm
/// in `state`: the transition, recorded and notified, if the state changes.
fn close(
    c: &Connection,
    topology: &Topology,
    alarm: &AlarmConfig,
    state: &str,
    period: i64,
    max: Option<i64>,
    now: Micros,
) -> Result<Option<Transition>> {
    let (new_state, reason) = match max {
        Some(max) if max as f64 >= alarm.threshold => (
            "ALARM",
            format!(
                "Threshold Crossed: 1 datapoint [{max}.0 ({})] was greater than or equal to the threshold ({:.1}).",
                rfc3339(period * alarm.period),
                alarm.threshold
            ),
        ),
        Some(max) => (
            "OK",
            format!(
                "Threshold Crossed: 1 datapoint [{max}.0 ({})] was not greater than or equal to the threshold ({:.1}).",
                rfc3339(period * alarm.period),
                alarm.threshold
            ),
        ),
        None => ("OK", "No datapoints in the last period; missing data is treated as not breaching.".to_string()),
    };
    if new_state == state {
        return Ok(None);
    }
    c.execute("UPDATE alarms SET state = ?2, reason = ?3, changed_at = ?4 WHERE name = ?1", params![alarm.name, new_state, reason, now])?;
    c.execute(
        "INSERT INTO alarm_history(alarm, at, old_state, new_state, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![alarm.name, now, state, new_state, reason],
    )?;
    let transition =
        Transition { alarm: alarm.name.clone(), at: now, old_state: state.to_string(), new_state: new_state.to_string(), reason };
    let message = serde_json::json!({
        "AlarmName": transition.alarm,
        "NewStateValue": transition.new_state,
        "OldStateValue": transition.old_state,
        "NewStateReason": transition.reason,
        "StateChangeTime": rfc3339(now),
        "Region": "local",
        "Trigger": {
            "MetricName": "ApproximateNumberOfMessagesVisible",
            "Namespace": "AWS/SQS",
            "Statistic": "MAXIMUM",
            "Dimensions": [{"name": "QueueName", "value": alarm.queue}],
            "Period": alarm.period / 1_000_000,
            "EvaluationPeriods": 1,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "Threshold": alarm.threshold,
            "TreatMissingData": "notBreaching",
        }
    })
    .to_string();
    let subject = format!("{}: \"{}\" in local", transition.new_state, transition.alarm);
    sns::publish(c, topology, &alarm.actions_topic, Some(&subject), &[&message], now)?;
    Ok(Some(transition))
}
