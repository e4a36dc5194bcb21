//! Synthetic orders for load runs: one order of a given kind per sequence number, and
//! the order mix that decides each number's kind.

use crate::order::{Kind, Order};
use crate::rules::Rules;
use crate::time::{rfc3339, Micros};
use std::fmt;
use std::str::FromStr;

const CUSTOMERS: [&str; 8] =
    ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Barbara Liskov", "Edsger Dijkstra", "Frances Allen", "Ken Thompson", "Radia Perlman"];
const PRODUCTS: [&str; 6] = ["Wireless Headphones", "Mechanical Keyboard", "4K Monitor", "USB-C Dock", "Standing Desk", "Espresso Machine"];

/// The order with sequence number `seq` of run `run_id`, of the given kind. Its id is
/// `<run_id>-<seq>`, so a report can find every order of a run again from the run id
/// and the count alone.
pub fn synthesize(kind: Kind, seq: u64, run_id: &str, scheduled_at: Micros, rules: &Rules) -> Order {
    let h = mix64(seq ^ 0x9e37_79b9_7f4a_7c15);
    let threshold_cents = (rules.high_value_threshold.max(10.0) * 100.0) as u64;
    let cents = match kind {
        // 5.00 up to the threshold, never above it.
        Kind::Normal | Kind::Fail => 500 + h % threshold_cents.saturating_sub(500).max(1),
        // Strictly above the threshold, up to 60,000 more.
        Kind::HighValue => threshold_cents + 100 + h % 6_000_000,
    };
    Order {
        order_id: format!("{run_id}-{seq}"),
        customer_name: CUSTOMERS[(h >> 8) as usize % CUSTOMERS.len()].to_string(),
        product: PRODUCTS[(h >> 16) as usize % PRODUCTS.len()].to_string(),
        quantity: 1 + (h >> 24) % 3,
        amount: cents as f64 / 100.0,
        notes: if kind == Kind::Fail { "FAIL: synthetic technical failure".into() } else { String::new() },
        created_at: rfc3339(scheduled_at),
        run_id: Some(run_id.to_string()),
        kind: Some(kind),
        scheduled_at: Some(scheduled_at),
    }
}

fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The share of each kind in a load, e.g. `normal=8,high-value=1,fail=1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mix {
    weights: Vec<(Kind, u32)>,
}

impl Mix {
    pub fn only(kind: Kind) -> Self {
        Mix { weights: vec![(kind, 1)] }
    }

    pub fn weights(&self) -> &[(Kind, u32)] {
        &self.weights
    }

    /// One period of [`Mix::cycle`]: order `n`'s kind is `period[n % period.len()]`,
    /// so a worker publishing every k-th order gives each the kind one sender would.
    pub fn period(&self) -> Vec<Kind> {
        let total: u32 = self.weights.iter().map(|(_, w)| *w).sum();
        self.cycle().take(total.max(1) as usize).collect()
    }

    pub fn cycle(&self) -> MixCycle {
        MixCycle {
            weights: self.weights.clone(),
            current: vec![0; self.weights.len()],
            total: self.weights.iter().map(|(_, w)| *w as i64).sum(),
        }
    }
}

impl Default for Mix {
    fn default() -> Self {
        Mix { weights: vec![(Kind::Normal, 8), (Kind::HighValue, 1), (Kind::Fail, 1)] }
    }
}

impl fmt::Display for Mix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.weights.iter().map(|(k, w)| format!("{k}={w}")).collect();
        f.write_str(&parts.join(","))
    }
}

impl FromStr for Mix {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut weights: Vec<(Kind, u32)> = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, weight) = part.split_once('=').ok_or_else(|| format!("`{part}` is not KIND=WEIGHT (for example `normal=8`)"))?;
            let kind: Kind = name.trim().parse()?;
            let weight: u32 = weight.trim().parse().map_err(|_| format!("weight `{}` of `{kind}` is not a whole number", weight.trim()))?;
            if weights.iter().any(|(k, _)| *k == kind) {
                return Err(format!("`{kind}` appears twice"));
            }
            if weight > 0 {
                weights.push((kind, weight));
            }
        }
        if weights.is_empty() {
            return Err("the mix is empty: give at least one KIND=WEIGHT with a weight above 0".into());
        }
        Ok(Mix { weights })
    }
}

/// Deals kinds in proportion to the mix's weights, spread evenly (smooth weighted
/// round robin): any window of `sum(weights)` orders holds each kind exactly its weight.
#[derive(Debug, Clone)]
pub struct MixCycle {
    weights: Vec<(Kind, u32)>,
    current: Vec<i64>,
    total: i64,
}

impl Iterator for MixCycle {
    type Item = Kind;

    fn next(&mut self) -> Option<Kind> {
        let mut best = 0;
        for (i, (_, w)) in self.weights.iter().enumerate() {
            self.current[i] += *w as i64;
            if self.current[i] > self.current[best] {
                best = i;
            }
        }
        self.current[best] -= self.total;
        Some(self.weights[best].0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::order::parse_order;
    use crate::rules::{decide, Decision};

    #[test]
    fn the_cycle_repeats_its_period() {
        for mix in ["normal=8,high-value=1,fail=1", "normal=3,fail=2", "high-value=1"] {
            let mix: Mix = mix.parse().unwrap();
            let period = mix.period();
            let kinds: Vec<Kind> = mix.cycle().take(period.len() * 5 + 3).collect();
            for (n, k) in kinds.iter().enumerate() {
                assert_eq!(*k, period[n % period.len()], "{mix} at {n}");
            }
        }
    }

    #[test]
    fn synthetic_orders_are_valid_and_decide_as_their_kind() {
        let rules = Rules::default();
        for seq in 0..500 {
            for kind in Kind::ALL {
                let o = synthesize(kind, seq, "run-1", 1_700_000_000_000_000, &rules);
                assert_eq!(parse_order(o.to_json().as_bytes()).unwrap(), o);
                let d = decide(&o, &rules);
                match kind {
                    Kind::Normal => assert_eq!(d, Decision::Complete, "{o:?}"),
                    Kind::HighValue => assert!(matches!(d, Decision::RejectedByRule(_)), "{o:?}"),
                    Kind::Fail => assert!(matches!(d, Decision::TechnicalFailure(_)), "{o:?}"),
                }
            }
        }
    }

    #[test]
    fn mix_parses_and_deals_exact_proportions() {
        let mix: Mix = "normal=8, high-value=1,fail=1".parse().unwrap();
        let kinds: Vec<Kind> = mix.cycle().take(200).collect();
        let count = |k| kinds.iter().filter(|x| **x == k).count();
        assert_eq!((count(Kind::Normal), count(Kind::HighValue), count(Kind::Fail)), (160, 20, 20));
        for window in kinds.chunks(10) {
            assert_eq!(window.iter().filter(|k| **k == Kind::Fail).count(), 1);
        }
        assert_eq!(mix.to_string(), "normal=8,high-value=1,fail=1");
    }

    #[test]
    fn bad_mixes_say_what_is_wrong() {
        for (text, needle) in [
            ("normal", "KIND=WEIGHT"),
            ("normal=x", "whole number"),
            ("big=1", "unknown order kind"),
            ("normal=0", "empty"),
            ("fail=1,fail=2", "twice"),
            ("", "empty"),
        ] {
            let err = text.parse::<Mix>().unwrap_err();
            assert!(err.contains(needle), "{text}: {err}");
        }
    }
}
