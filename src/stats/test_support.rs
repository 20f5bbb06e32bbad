//! Comparisons shared by the tests of `stats`: a value against a reference value within a relative
//! tolerance, and an interval against a pair of reference limits.

use super::Interval;

/// Asserts `|actual − expected| ≤ relative × |expected|`: an expected 0 must come out exactly.
#[track_caller]
pub(super) fn close(actual: f64, expected: f64, relative: f64) {
    let tolerance = relative * expected.abs();
    assert!((actual - expected).abs() <= tolerance, "{actual:e} vs {expected:e} (relative {relative:e})");
}

/// [`close`] on both limits of an interval.
#[track_caller]
pub(super) fn close_interval(actual: Interval, expected: (f64, f64), relative: f64) {
    close(actual.lower, expected.0, relative);
    close(actual.upper, expected.1, relative);
}
