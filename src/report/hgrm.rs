//! HdrHistogram's percentile-distribution text format (`.hgrm`), as
//! `outputPercentileDistribution` writes it, so HdrHistogram's own plotter reads it.

use hdrhistogram::Histogram;
use std::fmt::Write;

/// The distribution of `h`, values divided by `scale` (1000: µs recorded, ms written).
pub fn percentile_distribution(h: &Histogram<u64>, scale: f64) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:>12} {:>14} {:>10} {:>14}\n", "Value", "Percentile", "TotalCount", "1/(1-Percentile)");
    let mut total = 0u64;
    for v in h.iter_quantiles(5) {
        total += v.count_since_last_iteration();
        let q = v.quantile_iterated_to();
        let value = v.value_iterated_to() as f64 / scale;
        if q < 1.0 {
            let _ = writeln!(out, "{value:>12.3} {q:>2.12} {total:>10} {:>14.2}", 1.0 / (1.0 - q));
        } else {
            let _ = writeln!(out, "{value:>12.3} {q:>2.12} {total:>10}");
        }
    }
    let (mean, stdev) = if h.is_empty() { (0.0, 0.0) } else { (h.mean() / scale, h.stdev() / scale) };
    let _ = writeln!(out, "#[Mean    = {mean:>12.3}, StdDeviation   = {stdev:>12.3}]");
    let _ = writeln!(out, "#[Max     = {:>12.3}, Total count    = {:>12}]", h.max() as f64 / scale, h.len());
    let sub_buckets = (2.0 * 10f64.powi(h.sigfig() as i32)).log2().ceil().exp2() as u64;
    let _ = writeln!(out, "#[Buckets = {:>12}, SubBuckets     = {:>12}]", h.buckets(), sub_buckets);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_distribution_reads_like_hdrhistograms_own() {
        let mut h = crate::report::latency_histogram();
        for v in 1..=1000u64 {
            h.record(v * 100).unwrap();
        }
        let text = percentile_distribution(&h, 1000.0);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0].split_whitespace().collect::<Vec<_>>(), ["Value", "Percentile", "TotalCount", "1/(1-Percentile)"]);
        assert_eq!(lines[1], "");
        let rows: Vec<Vec<f64>> = lines[2..]
            .iter()
            .take_while(|l| !l.starts_with('#'))
            .map(|l| l.split_whitespace().map(|f| f.parse().unwrap()).collect())
            .collect();
        assert!(rows.len() > 20);
        assert!(rows.windows(2).all(|w| w[0][1] <= w[1][1] && w[0][2] <= w[1][2]), "percentiles and counts grow");
        let last = rows.last().unwrap();
        assert_eq!((last[1], last[2]), (1.0, 1000.0));
        assert!((last[0] - 100.0).abs() < 0.1, "max 100 ms: {last:?}");
        let median = rows.iter().find(|r| r[1] >= 0.5).unwrap();
        assert!((median[0] - 50.0).abs() < 0.1, "{median:?}");
        assert!(text.contains("Total count    =         1000]"), "{text}");
        assert!(text.contains("SubBuckets     =         2048]"), "{text}");
    }
}
