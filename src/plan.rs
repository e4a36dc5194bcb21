//! Provisioning as a pure diff: desired resources against observed ones give a plan of
//! creates, updates (with the fields that differ), unchanged resources and deletes.

use crate::spec::Resource;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "action", content = "fields")]
pub enum Action {
    Create,
    Update(Vec<String>),
    Unchanged,
    Delete,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub kind: String,
    pub name: String,
    #[serde(flatten)]
    pub action: Action,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Plan {
    pub changes: Vec<Change>,
}

impl Plan {
    /// Desired resources in their order (dependencies first), then deletes of what is
    /// observed but no longer desired, in reverse order.
    pub fn diff(desired: &[Resource], observed: &[Resource]) -> Plan {
        let mut changes: Vec<Change> = desired
            .iter()
            .map(|want| {
                let action = match observed.iter().find(|have| have.id() == want.id()) {
                    None => Action::Create,
                    Some(have) => match want.differences(have) {
                        fields if fields.is_empty() => Action::Unchanged,
                        fields => Action::Update(fields),
                    },
                };
                Change { kind: want.kind().into(), name: want.name().into(), action }
            })
            .collect();
        changes.extend(observed.iter().rev().filter(|have| !desired.iter().any(|want| want.id() == have.id())).map(|have| Change {
            kind: have.kind().into(),
            name: have.name().into(),
            action: Action::Delete,
        }));
        Plan { changes }
    }

    pub fn is_noop(&self) -> bool {
        self.changes.iter().all(|c| c.action == Action::Unchanged)
    }

    pub fn count(&self, pred: impl Fn(&Action) -> bool) -> usize {
        self.changes.iter().filter(|c| pred(&c.action)).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{Settings, StackSpec};

    #[test]
    fn fresh_then_noop_then_update_then_delete() {
        let spec = StackSpec::new("t", Settings::local());
        let fresh = Plan::diff(&spec.resources, &[]);
        assert!(fresh.changes.iter().all(|c| c.action == Action::Create));
        assert!(Plan::diff(&spec.resources, &spec.resources).is_noop());

        let changed = StackSpec::new("t", Settings { max_receive_count: 5, ..Settings::local() });
        let plan = Plan::diff(&changed.resources, &spec.resources);
        let updates: Vec<&Change> = plan.changes.iter().filter(|c| matches!(c.action, Action::Update(_))).collect();
        let updates: Vec<(&str, &Action)> = updates.iter().map(|c| (c.name.as_str(), &c.action)).collect();
        assert_eq!(
            updates,
            [("t-orders", &Action::Update(vec!["redrive".into()])), ("t-order-worker", &Action::Update(vec!["environment".into()]))],
            "the queue's redrive policy, and the worker that records the last receive"
        );

        let with_email = StackSpec::new("t", Settings { alert_email: Some("ops@example.com".into()), ..Settings::local() });
        let plan = Plan::diff(&spec.resources, &with_email.resources);
        assert_eq!(plan.count(|a| *a == Action::Delete), 1);
        assert_eq!(plan.changes.last().unwrap().kind, "subscription");
    }
}
