//! Time as the pipeline records it: microseconds since the Unix epoch, and RFC 3339
//! text for the fields people read.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Microseconds since the Unix epoch.
pub type Micros = i64;

pub fn now_micros() -> Micros {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_micros() as Micros).unwrap_or(0)
}

/// RFC 3339 in UTC with millisecond precision, e.g. `2026-11-22T13:40:04.123Z`.
pub fn rfc3339(at: Micros) -> String {
    let t = UNIX_EPOCH + Duration::from_micros(at.max(0) as u64);
    humantime::format_rfc3339_millis(t).to_string()
}

/// Whether `s` has the shape of an RFC 3339 timestamp
/// (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`) with plausible field values.
pub fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| r.clone().all(|i| b.get(i).is_some_and(u8::is_ascii_digit));
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(u32::MAX);
    if b.len() < 20 || !digits(0..4) || b[4] != b'-' || !digits(5..7) || b[7] != b'-' || !digits(8..10) {
        return false;
    }
    if !matches!(b[10], b'T' | b't' | b' ') || !digits(11..13) || b[13] != b':' || !digits(14..16) || b[16] != b':' || !digits(17..19) {
        return false;
    }
    if !(1..=12).contains(&num(5..7)) || !(1..=31).contains(&num(8..10)) || num(11..13) > 23 || num(14..16) > 59 || num(17..19) > 60 {
        return false;
    }
    let mut i = 19;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match &b[i..] {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', ..] => {
            let rest = &s[i + 1..];
            rest.len() == 5
                && rest.as_bytes()[2] == b':'
                && rest[..2].parse::<u8>().is_ok_and(|h| h <= 23)
                && rest[3..].parse::<u8>().is_ok_and(|m| m <= 59)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_recognises_rfc3339() {
        let s = rfc3339(1_700_000_000_123_456);
        assert_eq!(s, "2023-11-14T22:13:20.123Z");
        assert!(is_rfc3339(&s));
        assert!(is_rfc3339("2026-11-22T13:40:04+02:00"));
        assert!(is_rfc3339("2026-11-22T13:40:04.5Z"));
        assert!(!is_rfc3339("2026-13-22T13:40:04Z"));
        assert!(!is_rfc3339("2026-11-22 13:40"));
        assert!(!is_rfc3339("yesterday"));
        assert!(!is_rfc3339("2026-11-22T13:40:04.Z"));
    }
}
