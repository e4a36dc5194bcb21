//! Latency histograms: one range for every figure, so that any two merge exactly; and
//! their portable form (HdrHistogram's V2 compressed encoding, base64), in which a
//! worker returns them.

use ::base64::Engine;
use anyhow::{Context, Result};
use hdrhistogram::serialization::{Deserializer, Serializer, V2DeflateSerializer};
use hdrhistogram::Histogram;

/// A latency histogram in microseconds: 1 µs to 1 hour, 3 significant digits.
pub fn latency_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 3_600_000_000, 3).expect("valid histogram bounds")
}

/// Records a latency, clamped into the histogram's range.
pub fn record(h: &mut Histogram<u64>, micros: i64) {
    let v = (micros.max(1) as u64).min(h.high());
    h.record(v).expect("value is within bounds");
}

/// `h` as HdrHistogram's V2 compressed encoding, in base64: what any HdrHistogram
/// library reads (`decodeFromCompressedByteBuffer` in Java, `hdr_log` in C).
pub fn encode(h: &Histogram<u64>) -> String {
    let mut bytes = Vec::new();
    V2DeflateSerializer::new().serialize(h, &mut bytes).expect("a histogram serialises into memory");
    ::base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The histogram [`encode`] wrote, in [`latency_histogram`]'s range (so it merges).
pub fn decode(text: &str) -> Result<Histogram<u64>> {
    let bytes = ::base64::engine::general_purpose::STANDARD.decode(text).context("a histogram is not base64")?;
    let h: Histogram<u64> = Deserializer::new().deserialize(&mut bytes.as_slice()).context("not an HdrHistogram V2 encoding")?;
    let mut out = latency_histogram();
    out.add(&h).context("a histogram outside the latency range")?;
    Ok(out)
}

/// A histogram field in [`encode`]'s form: `#[serde(with = "crate::hist::in_base64")]`.
pub mod in_base64 {
    use hdrhistogram::Histogram;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(h: &Histogram<u64>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::encode(h))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Histogram<u64>, D::Error> {
        super::decode(&String::deserialize(d)?).map_err(|e| serde::de::Error::custom(format!("{e:#}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_survives_its_encoding() {
        let mut h = latency_histogram();
        for v in [1, 7, 900, 12_345, 3_000_000, 3_599_999_999] {
            record(&mut h, v);
        }
        let back = decode(&encode(&h)).unwrap();
        assert_eq!(back, h);
        assert_eq!(back.value_at_quantile(0.5), h.value_at_quantile(0.5));
        assert!(decode("not base64!").is_err());
    }
}
