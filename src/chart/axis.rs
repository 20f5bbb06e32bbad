//! Value axes of every chart: one [`Scale`] from values to page millimetres (linear, or by decades
//! for a logarithmic position chart), nice round ticks ([`nice_ticks`], decades for a log axis),
//! the decimals and labels those ticks need, and how many labels fit.
//!
//! Pure arithmetic: depends on [`crate::text`] for writing numbers, on nothing that draws.

use super::MAX_DECIMALS;
use crate::figure::style::TICK_FONT;
use crate::text::{Lang, format_number};

/// A value axis: values from `lo` to `hi` drawn from `start` to `start + length` millimetres on the
/// page. A negative length runs up (a y axis) or left (the men's side of a pyramid). On a
/// logarithmic scale the domain is in decades (10^`lo` to 10^`hi`).
///
/// ```
/// use indicarto::chart::axis::Scale;
/// let y = Scale::linear(0.0, 200.0, 100.0, -60.0);
/// assert_eq!(y.at(50.0), 85.0);
/// let x = Scale::log10(0, 2, 10.0, 100.0);
/// assert_eq!(x.at(10.0), 60.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    lo: f64,
    hi: f64,
    start: f64,
    length: f64,
    log: bool,
    clamp: bool,
}

impl Scale {
    /// `lo` at `start`, `hi` at `start + length`; proportional in between and beyond.
    #[must_use]
    pub fn linear(lo: f64, hi: f64, start: f64, length: f64) -> Scale {
        Scale { lo, hi, start, length, log: false, clamp: false }
    }

    /// 10^`lo` at `start`, 10^`hi` at `start + length`, each decade the same length.
    #[must_use]
    pub fn log10(lo: i32, hi: i32, start: f64, length: f64) -> Scale {
        Scale { lo: f64::from(lo), hi: f64::from(hi), start, length, log: true, clamp: false }
    }

    /// The same scale keeping values beyond its domain at its ends, so that no mark leaves the plot.
    #[must_use]
    pub fn clamped(self) -> Scale {
        Scale { clamp: true, ..self }
    }

    /// Whether the scale runs by decades.
    #[must_use]
    pub fn is_log(&self) -> bool {
        self.log
    }

    /// Where `v` lies on the page. A domain of a single value puts everything in the middle.
    #[must_use]
    pub fn at(&self, v: f64) -> f64 {
        if self.hi - self.lo == 0.0 {
            return self.start + self.length / 2.0;
        }
        let v = if self.log { v.log10() } else { v };
        let t = (v - self.lo) / (self.hi - self.lo);
        let t = if self.clamp { t.clamp(0.0, 1.0) } else { t };
        self.start + t * self.length
    }
}

/// Nice axis ticks covering [min, max]: multiples of 1, 2, 2.5 or 5 × 10^n, the first at or below
/// `min`, the last at or above `max`, within one of `target` ticks when those steps allow (4 to 6
/// for a target of 5), covering as little beyond the range as possible. A degenerate range is
/// widened around its value; a non-finite one gives `[0, 1]`.
///
/// ```
/// use indicarto::chart::nice_ticks;
/// assert_eq!(nice_ticks(0.0, 2708.1, 5), [0.0, 1000.0, 2000.0, 3000.0]);
/// assert_eq!(nice_ticks(-3.2, 12.3, 5), [-5.0, 0.0, 5.0, 10.0, 15.0]);
/// assert_eq!(nice_ticks(0.0, 0.9, 5), [0.0, 0.25, 0.5, 0.75, 1.0]);
/// ```
#[must_use]
pub fn nice_ticks(min: f64, max: f64, target: usize) -> Vec<f64> {
    if !min.is_finite() || !max.is_finite() {
        return vec![0.0, 1.0];
    }
    let (mut lo, mut hi) = if min <= max { (min, max) } else { (max, min) };
    let magnitude = lo.abs().max(hi.abs());
    if hi - lo <= magnitude * 1e-12 {
        if magnitude == 0.0 {
            (lo, hi) = (0.0, 1.0);
        } else {
            (lo, hi) = (lo - magnitude * 0.1, hi + magnitude * 0.1);
        }
    }
    let Some(TickChoice { step, e, m, first, .. }) = best_step(lo, hi, target.max(2) as f64) else {
        return vec![lo, hi];
    };
    let mut ticks = Vec::new();
    let mut k = first;
    loop {
        let tick = decimal(k * m, e) + 0.0;
        ticks.push(tick);
        if tick >= hi - step * 1e-9 || ticks.len() > 1000 {
            break;
        }
        k += 1.0;
    }
    ticks
}

/// A candidate tick step `m × 10^e` and how well it serves (lower is better), for [`nice_ticks`].
struct TickChoice {
    score: (f64, f64, f64),
    step: f64,
    e: i32,
    m: f64,
    first: f64,
}

/// The step that serves [lo, hi] best: within one tick of the target, the tightest cover wins
/// (least empty axis), then the fewer ticks; otherwise the count nearest the target.
fn best_step(lo: f64, hi: f64, target: f64) -> Option<TickChoice> {
    let exponent = ((hi - lo) / target).log10().floor() as i32;
    let mut best: Option<TickChoice> = None;
    for e in exponent - 1..=exponent + 1 {
        for m in [1.0, 2.0, 2.5, 5.0] {
            let step = decimal(m, e);
            let first = (lo / step + 1e-9).floor();
            let last = (hi / step - 1e-9).ceil();
            let count = last - first + 1.0;
            let miss = ((count - target).abs() - 1.0).max(0.0);
            let cover = ((last - first) * step / (hi - lo) * 1e6).round();
            let score = (miss, cover, count);
            if best.as_ref().is_none_or(|b| score < b.score) {
                best = Some(TickChoice { score, step, e, m, first });
            }
        }
    }
    best
}

/// `m × 10^e` computed so that decimal steps stay exact (`3 × 0.1` is written 0.3, not
/// 0.30000000000000004).
fn decimal(m: f64, e: i32) -> f64 {
    if e >= 0 { m * 10f64.powi(e) } else { m / 10f64.powi(-e) }
}

/// Decimals needed to write every tick exactly.
pub(super) fn tick_decimals(ticks: &[f64]) -> usize {
    (0u8..=6)
        .find(|&d| {
            let scale = 10f64.powi(i32::from(d));
            ticks.iter().all(|t| ((t * scale).round() - t * scale).abs() < 1e-6 * scale)
        })
        .map_or(MAX_DECIMALS, usize::from)
}

/// Tick labels in the language: on a linear axis all with the decimals the finest tick needs, on a
/// logarithmic one each with its own (`0,01`, `0,1`, `1`, `10`).
pub(super) fn tick_labels(ticks: &[f64], log: bool, lang: Lang) -> Vec<String> {
    let decimals = tick_decimals(ticks);
    let decimals_of = |t: f64| if log { (-t.log10().floor()).max(0.0) as usize } else { decimals };
    ticks.iter().map(|t| format_number(*t, decimals_of(*t), lang)).collect()
}

/// The width of the widest tick label.
pub(super) fn widest_tick(labels: &[String]) -> f64 {
    labels.iter().map(|l| TICK_FONT.width(l)).fold(0.0, f64::max)
}

/// Ticks of a logarithmic axis from 10^`lo` to 10^`hi`: 1, 2, 5 in each decade over short ranges,
/// decades only over long ones.
pub(super) fn log_ticks(lo: i32, hi: i32) -> Vec<f64> {
    let multiples: &[f64] = if hi - lo <= 2 { &[1.0, 2.0, 5.0] } else { &[1.0] };
    let stride = if hi - lo > 8 { 2 } else { 1 };
    let mut ticks = Vec::new();
    for e in (lo..=hi).step_by(stride) {
        for &m in multiples {
            if e < hi || m <= 1.0 {
                ticks.push(decimal(m, e));
            }
        }
    }
    ticks
}

/// Keeps the labels of ticks that are `spacing` mm apart readable: every label when they fit,
/// otherwise every second or fifth one.
pub(super) fn label_stride(spacing: f64, label_width: f64) -> usize {
    [1, 2, 5, 10].into_iter().find(|k| spacing * (*k as f64) >= label_width + 2.0).unwrap_or(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks_are_nice_and_cover_the_range() {
        let mut seed = 12_345u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..2000 {
            let magnitude = 10f64.powf(next() * 12.0 - 5.0);
            let a = (next() - 0.3) * magnitude;
            let b = a + next() * magnitude + magnitude * 1e-3;
            let ticks = nice_ticks(a, b, 5);
            assert!((4..=6).contains(&ticks.len()), "{a} {b} {ticks:?}");
            assert!(ticks[0] <= a && *ticks.last().unwrap() >= b, "{a} {b} {ticks:?}");
            let step = ticks[1] - ticks[0];
            let exponent = step.log10().floor();
            let mantissa = step / 10f64.powf(exponent);
            assert!([1.0, 2.0, 2.5, 5.0, 10.0].iter().any(|m| (mantissa - m).abs() < 1e-6), "{step} in {ticks:?}");
            for pair in ticks.windows(2) {
                assert!(((pair[1] - pair[0]) / step - 1.0).abs() < 1e-6, "{ticks:?}");
            }
            // Every tick a whole multiple of the step, so that labels are round.
            assert!(ticks.iter().all(|t| ((t / step).round() - t / step).abs() < 1e-6), "{ticks:?}");
            // No empty step at either end.
            assert!(ticks[1] > a && ticks[ticks.len() - 2] < b, "{a} {b} {ticks:?}");
        }
    }

    #[test]
    fn nice_ticks_of_degenerate_ranges() {
        assert_eq!(nice_ticks(0.0, 0.0, 5), [0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(nice_ticks(100.0, 0.0, 5), [0.0, 25.0, 50.0, 75.0, 100.0]);
        let single = nice_ticks(91.1, 91.1, 5);
        assert!(single[0] <= 91.1 && *single.last().unwrap() >= 91.1 && single.len() >= 2);
        assert_eq!(nice_ticks(f64::NAN, 1.0, 5), [0.0, 1.0]);
        assert_eq!(nice_ticks(0.0, f64::INFINITY, 5), [0.0, 1.0]);
        assert_eq!(nice_ticks(99.75, 100.43, 5), [99.75, 100.0, 100.25, 100.5]);
        assert_eq!(nice_ticks(2_604_361.0, 6_004_108.0, 5), [2e6, 3e6, 4e6, 5e6, 6e6, 7e6]);
        assert_eq!(tick_decimals(&[99.75, 100.0]), 2);
        assert_eq!(tick_decimals(&[0.0, 1000.0]), 0);
    }

    /// Worked by hand: 0–200 over 60 mm upwards from y = 100 puts 50 a quarter of the way up, at
    /// 85; decades 1–1000 over 150 mm from x = 10 put 100 two thirds along, at 110.
    #[test]
    fn scales_map_their_domain_onto_the_page() {
        let y = Scale::linear(0.0, 200.0, 100.0, -60.0);
        let near = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(
            near(y.at(0.0), 100.0) && near(y.at(50.0), 85.0) && near(y.at(200.0), 40.0) && near(y.at(-100.0), 130.0)
        );
        assert!(near(y.clamped().at(-100.0), 100.0), "clamped at its end");
        let x = Scale::log10(0, 3, 10.0, 150.0);
        assert!(near(x.at(100.0), 110.0) && near(x.at(1000.0), 160.0));
        assert!(x.is_log() && !y.is_log());
        let single = Scale::linear(2021.0, 2021.0, 20.0, 100.0);
        assert!(near(single.at(2021.0), 70.0), "a single year sits in the middle");
    }

    #[test]
    fn tick_labels_carry_the_decimals_they_need() {
        assert_eq!(tick_labels(&[0.0, 0.25, 0.5], false, Lang::Fr), ["0,00", "0,25", "0,50"]);
        assert_eq!(tick_labels(&[0.01, 0.1, 1.0, 10.0], true, Lang::En), ["0.01", "0.1", "1", "10"]);
        assert_eq!(log_ticks(0, 2), [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]);
        assert_eq!(label_stride(10.0, 5.0), 1);
        assert_eq!(label_stride(3.0, 5.0), 5);
    }
}
