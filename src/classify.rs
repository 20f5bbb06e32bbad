//! Classification of indicator values into classes for choropleth maps: quantiles, equal intervals,
//! natural breaks (exact Fisher–Jenks), mean and standard deviation, Q6, geometric progression and
//! manual breaks, and one classification shared by several years.
//!
//! Each method reproduces a published reference on the same data: mapclassify 2.10 for quantiles,
//! equal intervals and mean–standard deviation, jenkspy for natural breaks, Magrit's definitions
//! (the `statsbreaks` library) for Q6 and the geometric progression; the tests hold values computed
//! by those tools. This module owns the class bounds and the counts, nothing else: it works on plain
//! finite `f64` slices (missing and secret values are removed by the caller) and depends on nothing
//! else in the crate but [`Lang`] for method labels — no packs, no figures, no egui.
//!
//! Class bounds follow one convention everywhere: `breaks[0]` is the minimum, `breaks[k]` the
//! maximum, class `i` is `(breaks[i], breaks[i + 1]]` and the first class also holds its lower
//! bound. Two equal consecutive bounds make a class that holds exactly that value (the quantile
//! methods produce one when many values tie at the minimum).

use serde::Serialize;
use thiserror::Error;

use crate::text::Lang;

/// Fewest classes a computed classification may be asked for.
pub const MIN_CLASSES: usize = 3;
/// Most classes a computed classification may be asked for: beyond nine, colours stop being told
/// apart on a map (and ColorBrewer's sequential schemes end there).
pub const MAX_CLASSES: usize = 9;

/// Number of classes of [`Method::Q6`].
const Q6_CLASSES: usize = 6;

/// How class bounds are chosen.
#[derive(Debug, Clone, PartialEq)]
pub enum Method {
    /// Classes of (nearly) equal counts. Bounds are the quantiles `i/k`, linearly interpolated
    /// between order statistics, exactly as mapclassify's `Quantiles` (scipy's
    /// `scoreatpercentile`). When ties make two quantiles equal, the duplicate is dropped and
    /// fewer classes come out, as in mapclassify.
    Quantile,
    /// Classes of equal width between the minimum and the maximum (mapclassify's
    /// `EqualInterval`, same floating-point steps). Classes may be empty.
    EqualInterval,
    /// Natural breaks: the partition that minimises the sum of squared deviations from the class
    /// means, found exactly (Fisher's optimal partition, computed as 1-D k-means by dynamic
    /// programming). Same bounds as jenkspy; bounds are data values (the largest of each class).
    NaturalBreaks,
    /// Mean and standard deviation: bounds at mean − 2 sd, mean − sd, mean + sd, mean + 2 sd
    /// (sample sd, n − 1), the defaults of mapclassify's `StdMean` (multiples −2, −1, 1, 2, no
    /// anchor). The requested number of classes is ignored. Bounds outside the data range would
    /// make empty classes below the minimum or above the maximum; they are left out, so this
    /// method yields from 1 to 5 classes, and the counts are mapclassify's without its empty
    /// out-of-range classes.
    MeanStdDev,
    /// Q6 (Philcarto, Magrit): six classes bounded by the minimum, the 5th, 25th, 50th, 75th and
    /// 95th percentiles and the maximum, so that the two extreme classes hold 5 % of the values
    /// each. Percentiles are linearly interpolated (`(n − 1) p`, Magrit's definition, no rounding).
    /// The requested number of classes is ignored.
    Q6,
    /// Geometric progression: bounds `min · r^i` with `r = (max / min)^(1/k)`, for strictly
    /// positive values (Magrit, QGIS).
    Geometric,
    /// Bounds given by the user, strictly increasing and strictly inside the data range; the
    /// classification's bounds are the minimum, these, then the maximum.
    Manual(Vec<f64>),
}

impl Method {
    /// Parses a method name, case-insensitive, `-` read as `_`: `quantile`/`quantiles`,
    /// `equal`/`equal_interval`, `jenks`/`natural`/`natural_breaks`/`fisher_jenks`,
    /// `stddev`/`mean_sd`/`std_mean`, `q6`, `geometric`/`geometric_progression`, `manual`.
    /// `manual` needs the breaks; the other methods refuse them, so that a forgotten method name
    /// does not silently discard the user's bounds.
    ///
    /// ```
    /// use indicarto::classify::Method;
    /// assert_eq!(Method::parse("Fisher-Jenks", None).unwrap(), Method::NaturalBreaks);
    /// assert_eq!(Method::parse("manual", Some(vec![10.0, 20.0])).unwrap(), Method::Manual(vec![10.0, 20.0]));
    /// assert!(Method::parse("manual", None).is_err());
    /// assert!(Method::parse("kmeans", None).is_err());
    /// ```
    pub fn parse(name: &str, manual: Option<Vec<f64>>) -> Result<Method, ClassifyError> {
        let key = name.trim().to_lowercase().replace('-', "_");
        let method = match key.as_str() {
            "quantile" | "quantiles" => Method::Quantile,
            "equal" | "equal_interval" => Method::EqualInterval,
            "jenks" | "natural" | "natural_breaks" | "fisher_jenks" => Method::NaturalBreaks,
            "stddev" | "mean_sd" | "std_mean" => Method::MeanStdDev,
            "q6" => Method::Q6,
            "geometric" | "geometric_progression" => Method::Geometric,
            "manual" => {
                let breaks = manual.ok_or(ClassifyError::ManualBreaksMissing)?;
                check_manual_breaks(&breaks)?;
                return Ok(Method::Manual(breaks));
            }
            _ => return Err(ClassifyError::UnknownMethod { name: name.to_owned() }),
        };
        if manual.is_some() {
            return Err(ClassifyError::ManualBreaksUnexpected { method: method.key() });
        }
        Ok(method)
    }

    /// Stable key, accepted back by [`Method::parse`]: `quantile`, `equal_interval`,
    /// `natural_breaks`, `mean_sd`, `q6`, `geometric`, `manual`.
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            Method::Quantile => "quantile",
            Method::EqualInterval => "equal_interval",
            Method::NaturalBreaks => "natural_breaks",
            Method::MeanStdDev => "mean_sd",
            Method::Q6 => "q6",
            Method::Geometric => "geometric",
            Method::Manual(_) => "manual",
        }
    }

    /// French label for menus and legends.
    #[must_use]
    pub fn label_fr(&self) -> &'static str {
        label_of_key(self.key(), Lang::Fr)
    }

    /// Label for menus and legends in a language.
    ///
    /// ```
    /// use indicarto::classify::Method;
    /// use indicarto::text::Lang;
    /// assert_eq!(Method::NaturalBreaks.label(Lang::En), "Natural breaks (Fisher-Jenks)");
    /// assert_eq!(Method::EqualInterval.label(Lang::Fr), "Intervalles égaux");
    /// ```
    #[must_use]
    pub fn label(&self, lang: Lang) -> &'static str {
        label_of_key(self.key(), lang)
    }

    /// Whether the number of classes passed to [`classify`] is used (and checked against
    /// [`MIN_CLASSES`]..=[`MAX_CLASSES`]). Q6 and mean–standard deviation fix their own classes;
    /// manual bounds give theirs.
    #[must_use]
    pub fn uses_class_count(&self) -> bool {
        matches!(self, Method::Quantile | Method::EqualInterval | Method::NaturalBreaks | Method::Geometric)
    }
}

fn label_of_key(key: &str, lang: Lang) -> &'static str {
    let (fr, en) = match key {
        "quantile" => ("Quantiles", "Quantiles"),
        "equal_interval" => ("Intervalles égaux", "Equal intervals"),
        "natural_breaks" => ("Seuils naturels (Fisher-Jenks)", "Natural breaks (Fisher-Jenks)"),
        "mean_sd" => ("Moyenne et écart type", "Mean and standard deviation"),
        "q6" => ("Q6", "Q6"),
        "geometric" => ("Progression géométrique", "Geometric progression"),
        "manual" => ("Seuils manuels", "Manual breaks"),
        _ => ("Méthode inconnue", "Unknown method"),
    };
    lang.pick(fr, en)
}

/// Class bounds and counts.
///
/// Class bounds: `breaks[0]` = minimum, `breaks[k]` = maximum; class i is (breaks[i], breaks[i+1]],
/// the first class includes its lower bound.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    /// Key of the method ([`Method::key`]).
    pub method: String,
    /// `k + 1` non-decreasing bounds, from the minimum to the maximum.
    pub breaks: Vec<f64>,
    /// Number of classified values in each of the `k` classes.
    pub counts: Vec<usize>,
}

impl Classification {
    /// Class of `value`, or `None` when it lies outside `[breaks[0], breaks[k]]` or is NaN (a value
    /// classified with bounds computed on other data).
    ///
    /// ```
    /// use indicarto::classify::Classification;
    /// let c = Classification { method: "manual".into(), breaks: vec![0.0, 10.0, 20.0], counts: vec![0, 0] };
    /// assert_eq!(c.class_of(0.0), Some(0));
    /// assert_eq!(c.class_of(10.0), Some(0)); // upper bounds belong to their class
    /// assert_eq!(c.class_of(10.5), Some(1));
    /// assert_eq!(c.class_of(20.5), None);
    /// ```
    #[must_use]
    pub fn class_of(&self, value: f64) -> Option<usize> {
        let (&first, &last) = (self.breaks.first()?, self.breaks.last()?);
        if self.breaks.len() < 2 || value.is_nan() || value < first || value > last {
            return None;
        }
        // Only the inner bounds decide: a value equal to one belongs to the class below it.
        let inner = &self.breaks[1..self.breaks.len() - 1];
        Some(inner.partition_point(|&bound| bound < value))
    }

    /// Number of classes, `breaks.len() - 1`.
    #[must_use]
    pub fn n_classes(&self) -> usize {
        self.breaks.len().saturating_sub(1)
    }

    /// French label of the method, for legends (`Quantiles`, `Seuils naturels (Fisher-Jenks)`…).
    #[must_use]
    pub fn method_label_fr(&self) -> &'static str {
        label_of_key(&self.method, Lang::Fr)
    }

    /// Label of the method in a language, for legends (`Seuils manuels`, `Manual breaks`…).
    #[must_use]
    pub fn method_label(&self, lang: Lang) -> &'static str {
        label_of_key(&self.method, lang)
    }
}

/// Why values could not be classified. Messages are in French, for the user.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ClassifyError {
    /// The method name is none of those [`Method::parse`] knows.
    #[error(
        "méthode de classification inconnue « {name} » (attendu : quantile, equal, jenks, stddev, q6, geometric ou manual)"
    )]
    UnknownMethod {
        /// Name as given.
        name: String,
    },
    /// Nothing to classify.
    #[error("aucune valeur à classer")]
    NoValues,
    /// A value is NaN or infinite.
    #[error(
        "la valeur n° {position} n'est pas un nombre fini ({value}) : les valeurs manquantes doivent être retirées avant la classification"
    )]
    NonFinite {
        /// Position of the value, from 1.
        position: usize,
        /// The value.
        value: f64,
    },
    /// A value of one of the series pooled by [`same_breaks_across`] is NaN or infinite.
    #[error(
        "série n° {series}, valeur n° {position} : pas un nombre fini ({value}) ; les valeurs manquantes doivent être retirées avant la classification"
    )]
    NonFiniteInSeries {
        /// Series, from 1.
        series: usize,
        /// Position of the value in its series, from 1.
        position: usize,
        /// The value.
        value: f64,
    },
    /// Number of classes outside [`MIN_CLASSES`]..=[`MAX_CLASSES`].
    #[error("{requested} classes demandées : il en faut de {min} à {max}", min = MIN_CLASSES, max = MAX_CLASSES)]
    ClassCount {
        /// Number asked for.
        requested: usize,
    },
    /// Fewer distinct values than classes.
    #[error("{distinct} valeur(s) distincte(s) seulement : il en faut au moins {needed} pour cette classification")]
    TooFewDistinct {
        /// Distinct values in the data.
        distinct: usize,
        /// Distinct values the method needs (the number of classes; 6 for Q6; 2 for mean and
        /// standard deviation and for manual bounds).
        needed: usize,
    },
    /// The geometric progression met a zero or negative value.
    #[error("la progression géométrique demande des valeurs strictement positives (minimum : {min})")]
    NotPositive {
        /// Smallest value.
        min: f64,
    },
    /// `manual` without bounds, or with an empty list.
    #[error("la classification manuelle demande au moins une borne")]
    ManualBreaksMissing,
    /// Bounds given with a method that computes its own.
    #[error("des bornes manuelles sont données avec la méthode « {method} », qui calcule les siennes")]
    ManualBreaksUnexpected {
        /// Key of the method.
        method: &'static str,
    },
    /// A manual bound is NaN or infinite.
    #[error("borne manuelle non finie ({value})")]
    ManualNonFinite {
        /// The bound.
        value: f64,
    },
    /// Manual bounds not strictly increasing.
    #[error("les bornes manuelles doivent être strictement croissantes : {value} vient après {previous}")]
    ManualNotIncreasing {
        /// Bound before.
        previous: f64,
        /// Offending bound.
        value: f64,
    },
    /// A manual bound is not strictly between the smallest and the largest value.
    #[error(
        "la borne manuelle {value} doit être strictement comprise entre le minimum ({min}) et le maximum ({max}) des valeurs"
    )]
    ManualOutOfRange {
        /// The bound.
        value: f64,
        /// Smallest value.
        min: f64,
        /// Largest value.
        max: f64,
    },
}

/// Classifies `values` (finite numbers, in any order) into `n_classes` classes by `method`.
///
/// `n_classes` must lie in [`MIN_CLASSES`]..=[`MAX_CLASSES`] for the methods that use it
/// ([`Method::uses_class_count`]). The result may hold fewer classes than asked when ties make
/// quantile bounds coincide (see [`Method::Quantile`]) and always does for
/// [`Method::MeanStdDev`] and [`Method::Q6`], which set their own.
///
/// ```
/// use indicarto::classify::{classify, Method};
/// let values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0];
/// let c = classify(&values, &Method::EqualInterval, 4).unwrap();
/// assert_eq!(c.breaks, [1.0, 3.0, 5.0, 7.0, 9.0]);
/// assert_eq!(c.counts, [3, 2, 2, 2]);
/// assert!(classify(&[1.0, f64::NAN], &Method::Quantile, 5).is_err());
/// ```
pub fn classify(values: &[f64], method: &Method, n_classes: usize) -> Result<Classification, ClassifyError> {
    if let Some((i, &value)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(ClassifyError::NonFinite { position: i + 1, value });
    }
    classify_finite(values, method, n_classes)
}

/// One classification for several years (or any several series): the bounds are computed on all
/// the values pooled, so that maps of different years share their legend; `counts` are those of
/// the pooled values.
///
/// ```
/// use indicarto::classify::{same_breaks_across, Method};
/// let (y2020, y2021) = ([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]);
/// let c = same_breaks_across(&[&y2020, &y2021], &Method::EqualInterval, 3).unwrap();
/// assert_eq!(c.breaks, [1.0, 2.666666666666667, 4.333333333333334, 6.0]);
/// assert_eq!(c.counts, [2, 2, 2]);
/// ```
pub fn same_breaks_across(
    values_by_year: &[&[f64]],
    method: &Method,
    n_classes: usize,
) -> Result<Classification, ClassifyError> {
    for (s, series) in values_by_year.iter().enumerate() {
        if let Some((i, &value)) = series.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(ClassifyError::NonFiniteInSeries { series: s + 1, position: i + 1, value });
        }
    }
    let pooled: Vec<f64> = values_by_year.iter().flat_map(|series| series.iter().copied()).collect();
    classify_finite(&pooled, method, n_classes)
}

fn classify_finite(values: &[f64], method: &Method, k: usize) -> Result<Classification, ClassifyError> {
    if values.is_empty() {
        return Err(ClassifyError::NoValues);
    }
    // A `Manual` built directly rather than through `parse` is checked here too.
    if let Method::Manual(bounds) = method {
        check_manual_breaks(bounds)?;
    }
    if method.uses_class_count() && !(MIN_CLASSES..=MAX_CLASSES).contains(&k) {
        return Err(ClassifyError::ClassCount { requested: k });
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let distinct = distinct_sorted(&sorted);
    let needed = match method {
        Method::Quantile | Method::EqualInterval | Method::NaturalBreaks | Method::Geometric => k,
        Method::Q6 => Q6_CLASSES,
        Method::MeanStdDev | Method::Manual(_) => 2,
    };
    if distinct < needed {
        return Err(ClassifyError::TooFewDistinct { distinct, needed });
    }
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    let breaks = match method {
        Method::Quantile => quantile_breaks(&sorted, k),
        Method::EqualInterval => equal_interval_breaks(min, max, k),
        Method::NaturalBreaks => natural_breaks(&sorted, k),
        Method::MeanStdDev => mean_sd_breaks(&sorted),
        Method::Q6 => q6_breaks(&sorted),
        Method::Geometric => {
            if min <= 0.0 {
                return Err(ClassifyError::NotPositive { min });
            }
            geometric_breaks(min, max, k)
        }
        Method::Manual(bounds) => {
            if let Some(&value) = bounds.iter().find(|&&b| b <= min || b >= max) {
                return Err(ClassifyError::ManualOutOfRange { value, min, max });
            }
            let mut breaks = Vec::with_capacity(bounds.len() + 2);
            breaks.push(min);
            breaks.extend_from_slice(bounds);
            breaks.push(max);
            breaks
        }
    };
    let mut classification = Classification { method: method.key().to_owned(), breaks, counts: Vec::new() };
    let mut counts = vec![0; classification.n_classes()];
    for &value in &sorted {
        if let Some(class) = classification.class_of(value) {
            counts[class] += 1;
        }
    }
    classification.counts = counts;
    Ok(classification)
}

fn check_manual_breaks(bounds: &[f64]) -> Result<(), ClassifyError> {
    if bounds.is_empty() {
        return Err(ClassifyError::ManualBreaksMissing);
    }
    if let Some(&value) = bounds.iter().find(|b| !b.is_finite()) {
        return Err(ClassifyError::ManualNonFinite { value });
    }
    if let Some(pair) = bounds.windows(2).find(|pair| pair[1] <= pair[0]) {
        return Err(ClassifyError::ManualNotIncreasing { previous: pair[0], value: pair[1] });
    }
    Ok(())
}

#[allow(clippy::float_cmp, reason = "distinct means bitwise-distinct numbers, as the references count them")]
fn distinct_sorted(sorted: &[f64]) -> usize {
    if sorted.is_empty() {
        return 0;
    }
    1 + sorted.windows(2).filter(|pair| pair[0] != pair[1]).count()
}

/// `[min]` followed by the upper bounds `bins` sorted and without duplicates (numpy's `unique`,
/// which mapclassify applies to quantile bounds), the last one forced to the maximum.
///
/// A bound interpolated between values tied at the minimum can come out one unit in the last place
/// below it; it is raised to the minimum so that bounds never decrease. That is the only departure
/// from mapclassify, whose first class would then be empty and hold nothing below the minimum.
#[allow(clippy::float_cmp, reason = "duplicates are exactly equal bounds, as numpy's unique sees them")]
fn with_unique_bins(min: f64, max: f64, mut bins: Vec<f64>) -> Vec<f64> {
    for bound in &mut bins {
        *bound = bound.max(min);
    }
    bins.sort_by(f64::total_cmp);
    bins.dedup_by(|a, b| a == b);
    if let Some(last) = bins.last_mut() {
        *last = max;
    }
    let mut breaks = Vec::with_capacity(bins.len() + 1);
    breaks.push(min);
    breaks.extend(bins);
    breaks
}

/// Percentile `per` (0–100) of sorted values, interpolated between order statistics the way scipy's
/// `scoreatpercentile` does (`interpolation_method='fraction'`), same operations in the same order
/// so that the result is bit-identical.
///
/// Like scipy, this weighted mean of two *equal* neighbours can miss their value by one unit in the
/// last place (`44.89999999999999` between two `44.9`); the tied values then fall in the class
/// above, exactly as in mapclassify. Kept on purpose: the counts must be the reference's.
#[allow(clippy::float_cmp, reason = "an integral position is tested exactly, as scipy does")]
fn percentile_fraction(sorted: &[f64], per: f64) -> f64 {
    let idx = per / 100.0 * (sorted.len() - 1) as f64;
    let i = idx as usize;
    if i as f64 == idx {
        return sorted[i];
    }
    let j = i + 1;
    let (w_low, w_high) = (j as f64 - idx, idx - i as f64);
    (sorted[i] * w_low + sorted[j] * w_high) / (w_low + w_high)
}

/// mapclassify 2.10 `quantile(y, k)`: percentiles `w, 2w, …` with `w = 100 / k` built by
/// `numpy.arange` (so `w + i·w`, the last clipped to 100), then `numpy.unique`.
fn quantile_breaks(sorted: &[f64], k: usize) -> Vec<f64> {
    let width = 100.0 / k as f64;
    let bins: Vec<f64> = (0..k).map(|i| percentile_fraction(sorted, (width + i as f64 * width).min(100.0))).collect();
    with_unique_bins(sorted[0], sorted[sorted.len() - 1], bins)
}

/// mapclassify 2.10 `EqualInterval`: `numpy.arange(min + w, max + w, w)` with `w = (max − min) / k`,
/// truncated to `k` bounds, the last set to the maximum. `arange` stores `start`, `start + w`, then
/// `start + i·δ` with `δ = (start + w) − start`; the same steps give the same bits.
fn equal_interval_breaks(min: f64, max: f64, k: usize) -> Vec<f64> {
    let width = (max - min) / k as f64;
    let start = min + width;
    let second = start + width;
    let delta = second - start;
    let len = (((max + width) - start) / width).ceil() as usize;
    let mut breaks = Vec::with_capacity(k + 1);
    breaks.push(min);
    breaks.extend((0..len.clamp(1, k)).map(|i| match i {
        0 => start,
        1 => second,
        _ => start + i as f64 * delta,
    }));
    if let Some(last) = breaks.last_mut() {
        *last = max;
    }
    breaks
}

/// mapclassify 2.10 `StdMean` with its defaults, restricted to the data range (see
/// [`Method::MeanStdDev`]).
fn mean_sd_breaks(sorted: &[f64]) -> Vec<f64> {
    let n = sorted.len() as f64;
    let mean = compensated_sum(sorted.iter().copied()) / n;
    let sd = (compensated_sum(sorted.iter().map(|&v| (v - mean) * (v - mean))) / (n - 1.0)).sqrt();
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    let mut breaks = vec![min];
    // A bound equal to the minimum is kept: mapclassify's class ending there holds the minimum.
    breaks.extend([-2.0, -1.0, 1.0, 2.0].iter().map(|m| mean + sd * m).filter(|&b| b >= min && b < max));
    breaks.push(max);
    breaks
}

/// Q6 as Magrit computes it (statsbreaks `q6`, without its rounding to two decimals): linear
/// interpolation at `(n − 1) p`.
fn q6_breaks(sorted: &[f64]) -> Vec<f64> {
    let at = |p: f64| {
        let pos = (sorted.len() - 1) as f64 * p;
        let base = pos.floor() as usize;
        match sorted.get(base + 1) {
            Some(&next) => sorted[base] + (pos - pos.floor()) * (next - sorted[base]),
            None => sorted[base],
        }
    };
    let bins = [0.05, 0.25, 0.5, 0.75, 0.95].into_iter().map(at).chain([sorted[sorted.len() - 1]]).collect();
    with_unique_bins(sorted[0], sorted[sorted.len() - 1], bins)
}

fn geometric_breaks(min: f64, max: f64, k: usize) -> Vec<f64> {
    let ratio = max / min;
    let mut breaks: Vec<f64> = (0..k).map(|i| min * ratio.powf(i as f64 / k as f64)).collect();
    breaks[0] = min;
    breaks.push(max);
    breaks
}

/// Neumaier's compensated sum: the mean and deviation of 35,000 values keep all their digits.
fn compensated_sum(values: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut compensation) = (0.0_f64, 0.0_f64);
    for value in values {
        let total = sum + value;
        compensation += if sum.abs() >= value.abs() { (sum - total) + value } else { (value - total) + sum };
        sum = total;
    }
    sum + compensation
}

// ---------------------------------------------------------------------------------------------
// Natural breaks
//
// Fisher's exact optimal partition, computed as optimal 1-D k-means (Wang & Song 2011,
// "Ckmeans.1d.dp", The R Journal 3/2; Grønlund et al. 2017 for the monotone-argmin argument).
// `cost[q][i]` is the least sum of squared deviations splitting the first `i + 1` sorted values
// into `q + 1` classes; `cost[q][i] = min over j of cost[q − 1][j − 1] + ssd(j..=i)`. The best `j`
// never decreases as `i` grows, so each row is filled by divide and conquer — solve the middle `i`,
// then search only left of its `j` for the lower half and right of it for the upper half — in
// O(n log n), O(k n log n) overall instead of Jenks's O(k n²).
//
// Equal values always share a class (splitting a tie never lowers the cost, and bounds given as
// values could not express it), so the work is done on the distinct values weighted by their
// multiplicity: France's 34,738 commune populations have 5,791 distinct values.
// ---------------------------------------------------------------------------------------------

/// Prefix sums of weights, of weighted deviations and of weighted squared deviations from a
/// central value. Shifting to the median keeps the numbers small, and the compensation terms carry
/// what each running sum rounded off, so that the sum of squares of a class is a difference of
/// accurate totals rather than of rounded ones.
struct PrefixSums {
    weight: Vec<f64>,
    sum: Vec<(f64, f64)>,
    sum_sq: Vec<(f64, f64)>,
}

impl PrefixSums {
    fn new(values: &[f64], weights: &[f64]) -> PrefixSums {
        let shift = values[values.len() / 2];
        let mut prefix = PrefixSums {
            weight: Vec::with_capacity(values.len() + 1),
            sum: Vec::with_capacity(values.len() + 1),
            sum_sq: Vec::with_capacity(values.len() + 1),
        };
        let (mut w, mut s, mut ss) = (0.0, (0.0, 0.0), (0.0, 0.0));
        prefix.weight.push(w);
        prefix.sum.push(s);
        prefix.sum_sq.push(ss);
        for (&value, &weight) in values.iter().zip(weights) {
            let d = value - shift;
            w += weight;
            s = neumaier_add(s, weight * d);
            ss = neumaier_add(ss, weight * d * d);
            prefix.weight.push(w);
            prefix.sum.push(s);
            prefix.sum_sq.push(ss);
        }
        prefix
    }

    /// Sum of squared deviations from their mean of the distinct values `j..=i`, with their weights.
    fn ssd(&self, j: usize, i: usize) -> f64 {
        let diff = |p: &[(f64, f64)]| (p[i + 1].0 - p[j].0) + (p[i + 1].1 - p[j].1);
        let weight = self.weight[i + 1] - self.weight[j];
        let sum = diff(&self.sum);
        (diff(&self.sum_sq) - sum * sum / weight).max(0.0)
    }
}

fn neumaier_add((sum, compensation): (f64, f64), value: f64) -> (f64, f64) {
    let total = sum + value;
    let lost = if sum.abs() >= value.abs() { (sum - total) + value } else { (value - total) + sum };
    (total, compensation + lost)
}

/// One row `q` of the dynamic programme.
struct Row<'a> {
    q: usize,
    prefix: &'a PrefixSums,
    previous: &'a [f64],
    cost: &'a mut [f64],
    start: &'a mut [usize],
}

impl Row<'_> {
    /// Fills `cost[i]` and `start[i]` (first value of the last class) for `i` in `i_lo..=i_hi`,
    /// knowing that the best start lies in `j_lo..=j_hi`.
    fn fill(&mut self, i_lo: usize, i_hi: usize, j_lo: usize, j_hi: usize) {
        if i_lo > i_hi {
            return;
        }
        let i = i_lo + (i_hi - i_lo) / 2;
        // The last class starts at `j ≥ q` so that the `q` classes before it are not empty.
        let (from, to) = (j_lo.max(self.q), j_hi.min(i));
        let (mut best, mut best_j) = (f64::INFINITY, from);
        for j in from..=to {
            let cost = self.previous[j - 1] + self.prefix.ssd(j, i);
            // Strict: among equal costs the earliest start wins, which keeps the argmin monotone.
            if cost < best {
                best = cost;
                best_j = j;
            }
        }
        self.cost[i] = best;
        self.start[i] = best_j;
        if i > i_lo {
            self.fill(i_lo, i - 1, j_lo, best_j);
        }
        self.fill(i + 1, i_hi, best_j, j_hi);
    }
}

/// Exact natural breaks of sorted values with at least `k` distinct ones: `[min, largest value of
/// each class but the last, max]`.
#[allow(clippy::float_cmp, reason = "grouping equal values is an exact comparison")]
fn natural_breaks(sorted: &[f64], k: usize) -> Vec<f64> {
    let mut values: Vec<f64> = Vec::new();
    let mut weights: Vec<f64> = Vec::new();
    for &v in sorted {
        match (values.last(), weights.last_mut()) {
            (Some(&last), Some(weight)) if last == v => *weight += 1.0,
            _ => {
                values.push(v);
                weights.push(1.0);
            }
        }
    }
    let m = values.len();
    let prefix = PrefixSums::new(&values, &weights);
    let mut previous: Vec<f64> = (0..m).map(|i| prefix.ssd(0, i)).collect();
    let mut starts: Vec<Vec<usize>> = Vec::with_capacity(k - 1);
    for q in 1..k {
        // Row q needs i ≥ q (q + 1 classes) and leaves k − 1 − q values for the classes after it;
        // the last row needs only i = m − 1.
        let i_hi = m - k + q;
        let i_lo = if q == k - 1 { m - 1 } else { q };
        let mut cost = vec![f64::INFINITY; m];
        let mut start = vec![0; m];
        Row { q, prefix: &prefix, previous: &previous, cost: &mut cost, start: &mut start }.fill(i_lo, i_hi, q, i_hi);
        starts.push(start);
        previous = cost;
    }
    let mut breaks = vec![0.0; k + 1];
    breaks[0] = values[0];
    breaks[k] = values[m - 1];
    let mut i = m - 1;
    for q in (1..k).rev() {
        let j = starts[q - 1][i];
        breaks[q] = values[j - 1];
        i = j - 1;
    }
    breaks
}

#[cfg(test)]
#[allow(
    clippy::unreadable_literal,
    reason = "reference values are pasted as Python prints them, to compare at a glance"
)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    /// Reads one numeric column of a plain comma-separated file with a header row (the shared
    /// data files have no quoted fields).
    fn read_column(path: &Path, column: &str) -> Vec<f64> {
        let text = std::fs::read_to_string(path).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        let index = header.split(',').position(|name| name == column).unwrap();
        lines
            .filter(|line| !line.is_empty())
            .map(|line| line.split(',').nth(index).unwrap().parse::<f64>().unwrap())
            .collect()
    }

    fn shared(relative: &str) -> Option<PathBuf> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data").join(relative);
        if path.is_file() {
            Some(path)
        } else {
            eprintln!("skipping: ../shared/data not found");
            None
        }
    }

    /// Hauts-de-France commune populations 2023 (`pmun_2023`, 3,782 communes).
    fn hdf_populations() -> Option<Vec<f64>> {
        shared("indicators/hdf_communes_population.csv").map(|p| read_column(&p, "pmun_2023"))
    }

    fn assert_close(actual: &[f64], expected: &[f64], relative: f64) {
        assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
        for (a, e) in actual.iter().zip(expected) {
            assert!((a - e).abs() <= relative * e.abs().max(1.0), "{actual:?} vs {expected:?}");
        }
    }

    // Reference values below were computed on the same column by
    //   python 3.11.7, numpy 2.4.6, scipy 1.17.1, mapclassify 2.10.0, jenkspy 0.4.1:
    //   y = numpy.array([float(r["pmun_2023"]) for r in csv.DictReader(open("hdf_communes_population.csv"))])
    //   mapclassify.Quantiles(y, k=5).bins, .counts   (our breaks = [y.min()] + bins)
    //   mapclassify.Quantiles(y, k=7), mapclassify.EqualInterval(y, k=5), mapclassify.StdMean(y)
    //   jenkspy.jenks_breaks(list(y), n_classes=5) and n_classes=7
    //   numpy.quantile(y, [0, .05, .25, .5, .75, .95, 1])                      (Q6)
    //   [min] + [10 ** (log10(min) + i * (log10(max) - log10(min)) / 5) for i in 1..5] + [max]
    //                                                     (geometric, statsbreaks' formula)
    //   mapclassify.UserDefined(y, bins=breaks[1:]).counts  (counts for jenks, Q6, geometric)
    // printed with repr(), i.e. full precision.

    #[test]
    fn quantiles_match_mapclassify() {
        let Some(y) = hdf_populations() else { return };
        let c = classify(&y, &Method::Quantile, 5).unwrap();
        assert_eq!(c.breaks, [7.0, 177.20000000000005, 317.0, 584.5999999999999, 1351.8000000000002, 238246.0]);
        assert_eq!(c.counts, [757, 758, 754, 756, 757]);
        let c = classify(&y, &Method::Quantile, 7).unwrap();
        assert_eq!(c.breaks, [7.0, 143.0, 232.0, 346.0, 537.0, 882.0, 1968.7142857142862, 238246.0]);
        assert_eq!(c.counts, [544, 540, 540, 538, 541, 538, 541]);
    }

    #[test]
    fn equal_interval_matches_mapclassify() {
        let Some(y) = hdf_populations() else { return };
        let c = classify(&y, &Method::EqualInterval, 5).unwrap();
        assert_eq!(c.breaks, [7.0, 47654.8, 95302.6, 142950.40000000002, 190598.2, 238246.0]);
        assert_eq!(c.counts, [3773, 5, 3, 0, 1]);
    }

    #[test]
    fn mean_sd_matches_mapclassify_within_range() {
        let Some(y) = hdf_populations() else { return };
        // mapclassify bins: [-11230.97883675362, -4823.290317372051, 7992.086721391089,
        // 14399.775240772658, 238246.0], counts [0, 0, 3651, 79, 52]: the two bounds below the
        // minimum (7) and their empty classes are left out.
        let c = classify(&y, &Method::MeanStdDev, 5).unwrap();
        assert_close(&c.breaks, &[7.0, 7992.086721391089, 14399.775240772658, 238246.0], 1e-12);
        assert_eq!(c.counts, [3651, 79, 52]);
        assert_eq!(c.method, "mean_sd");
    }

    #[test]
    fn natural_breaks_match_jenkspy() {
        let Some(y) = hdf_populations() else { return };
        let c = classify(&y, &Method::NaturalBreaks, 5).unwrap();
        assert_eq!(c.breaks, [7.0, 6139.0, 25688.0, 67571.0, 136449.0, 238246.0]);
        assert_eq!(c.counts, [3616, 142, 19, 4, 1]);
        let c = classify(&y, &Method::NaturalBreaks, 7).unwrap();
        assert_eq!(c.breaks, [7.0, 2208.0, 7354.0, 16076.0, 32920.0, 67571.0, 136449.0, 238246.0]);
        assert_eq!(c.counts, [3292, 351, 94, 28, 12, 4, 1]);
    }

    #[test]
    fn q6_matches_magrit_definition() {
        let Some(y) = hdf_populations() else { return };
        let c = classify(&y, &Method::Q6, 0).unwrap();
        assert_close(&c.breaks, &[7.0, 83.0, 210.0, 431.0, 1049.25, 5651.299999999997, 238246.0], 1e-12);
        assert_eq!(c.counts, [198, 753, 941, 944, 756, 190]);
    }

    #[test]
    fn geometric_matches_statsbreaks_formula() {
        let Some(y) = hdf_populations() else { return };
        let c = classify(&y, &Method::Geometric, 5).unwrap();
        let expected = [7.0, 56.42655752067706, 454.85091337632514, 3666.524460994533, 29555.62191418246, 238246.0];
        assert_close(&c.breaks, &expected, 1e-12);
        assert_eq!(c.counts, [78, 1858, 1538, 288, 20]);
    }

    #[test]
    fn natural_breaks_france_communes_match_jenkspy() {
        // python: jenkspy.jenks_breaks([float(r["POPULATION"]) for r in csv.DictReader(open(
        //   "fr_metro_communes_population_2023.csv"))], n_classes=7)   (jenkspy 0.4.1, 3.9 s)
        let Some(path) = shared("boundaries/france_scale/fr_metro_communes_population_2023.csv") else { return };
        let y = read_column(&path, "POPULATION");
        assert_eq!(y.len(), 34_738);
        let c = classify(&y, &Method::NaturalBreaks, 7).unwrap();
        assert_eq!(c.breaks, [0.0, 7713.0, 33162.0, 93963.0, 238246.0, 519127.0, 886040.0, 2103778.0]);
        assert_eq!(c.counts.iter().sum::<usize>(), y.len());
    }

    /// Brute force over every split of a small sorted sample: the exact optimum the dynamic
    /// programme must find.
    fn brute_force_ssd(sorted: &[f64], k: usize) -> f64 {
        fn ssd(v: &[f64]) -> f64 {
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            v.iter().map(|x| (x - mean) * (x - mean)).sum()
        }
        fn best(v: &[f64], k: usize) -> f64 {
            if k == 1 {
                return ssd(v);
            }
            (1..=v.len() - (k - 1)).map(|cut| ssd(&v[..cut]) + best(&v[cut..], k - 1)).fold(f64::INFINITY, f64::min)
        }
        best(sorted, k)
    }

    fn ssd_of(values: &[f64], c: &Classification) -> f64 {
        (0..c.n_classes())
            .map(|class| {
                let members: Vec<f64> = values.iter().copied().filter(|&v| c.class_of(v) == Some(class)).collect();
                let mean = members.iter().sum::<f64>() / members.len() as f64;
                members.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>()
            })
            .sum()
    }

    #[test]
    fn natural_breaks_reach_the_brute_force_optimum() {
        // A deterministic pseudo-random sample with ties and negative values.
        let mut state = 12_345_u64;
        let mut next = || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) % 40) as f64 - 10.0
        };
        for round in 0..30 {
            let n = 8 + round % 9;
            let mut values: Vec<f64> = (0..n).map(|_| next()).collect();
            values.sort_by(f64::total_cmp);
            for k in 3..=4 {
                let Ok(c) = classify(&values, &Method::NaturalBreaks, k) else { continue };
                let optimum = brute_force_ssd(&values, k);
                assert!((ssd_of(&values, &c) - optimum).abs() < 1e-9, "{values:?} k={k}: {c:?}");
            }
        }
    }

    #[test]
    fn all_equal_values_are_refused() {
        let values = [4.0; 20];
        for method in [Method::Quantile, Method::EqualInterval, Method::NaturalBreaks, Method::Geometric] {
            assert_eq!(classify(&values, &method, 5), Err(ClassifyError::TooFewDistinct { distinct: 1, needed: 5 }));
        }
        assert!(matches!(classify(&values, &Method::MeanStdDev, 5), Err(ClassifyError::TooFewDistinct { .. })));
        assert!(matches!(classify(&values, &Method::Q6, 0), Err(ClassifyError::TooFewDistinct { .. })));
        assert!(matches!(classify(&values, &Method::Manual(vec![4.0]), 0), Err(ClassifyError::TooFewDistinct { .. })));
    }

    #[test]
    fn fewer_distinct_values_than_classes_are_refused() {
        let values = [1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0];
        let err = classify(&values, &Method::NaturalBreaks, 5).unwrap_err();
        assert_eq!(err, ClassifyError::TooFewDistinct { distinct: 4, needed: 5 });
        assert!(err.to_string().contains("4 valeur(s) distincte(s)"));
        assert!(classify(&values, &Method::NaturalBreaks, 4).is_ok());
    }

    #[test]
    fn a_single_value_is_refused_and_no_value_too() {
        for method in [Method::Quantile, Method::EqualInterval, Method::NaturalBreaks, Method::MeanStdDev, Method::Q6] {
            assert!(matches!(classify(&[3.5], &method, 3), Err(ClassifyError::TooFewDistinct { distinct: 1, .. })));
            assert_eq!(classify(&[], &method, 3), Err(ClassifyError::NoValues));
        }
    }

    #[test]
    fn class_count_outside_3_to_9_is_refused() {
        let values: Vec<f64> = (0..100).map(f64::from).collect();
        for k in [0, 1, 2, 10, 50] {
            assert_eq!(classify(&values, &Method::Quantile, k), Err(ClassifyError::ClassCount { requested: k }));
        }
        // Methods with their own classes ignore the count; manual bounds may make two classes.
        assert_eq!(classify(&values, &Method::Q6, 0).unwrap().n_classes(), 6);
        assert_eq!(classify(&values, &Method::Manual(vec![50.0]), 0).unwrap().counts, [51, 49]);
    }

    #[test]
    fn non_finite_values_are_errors_not_panics() {
        let values = [1.0, 2.0, f64::NAN, 4.0, 5.0];
        assert!(matches!(
            classify(&values, &Method::NaturalBreaks, 3),
            Err(ClassifyError::NonFinite { position: 3, .. })
        ));
        assert!(matches!(
            classify(&[1.0, f64::INFINITY, 3.0, 4.0], &Method::Quantile, 3),
            Err(ClassifyError::NonFinite { position: 2, .. })
        ));
        let (a, b) = ([1.0, 2.0, 3.0], [4.0, f64::NEG_INFINITY]);
        assert!(matches!(
            same_breaks_across(&[&a, &b], &Method::Quantile, 3),
            Err(ClassifyError::NonFiniteInSeries { series: 2, position: 2, .. })
        ));
    }

    #[test]
    fn negative_values_classify_and_geometric_refuses_them() {
        let values = [-30.0, -20.0, -10.0, -5.0, 0.0, 5.0, 10.0, 20.0, 30.0];
        // mapclassify.EqualInterval(values, k=3): bins [-10, 10, 30], counts [3, 4, 2]
        let c = classify(&values, &Method::EqualInterval, 3).unwrap();
        assert_eq!(c.breaks, [-30.0, -10.0, 10.0, 30.0]);
        assert_eq!(c.counts, [3, 4, 2]);
        // jenkspy.jenks_breaks(values, n_classes=3) == [-30, -20, 10, 30]
        let c = classify(&values, &Method::NaturalBreaks, 3).unwrap();
        assert_eq!(c.breaks, [-30.0, -20.0, 10.0, 30.0]);
        assert_eq!(c.counts, [2, 5, 2]);
        let c = classify(&values, &Method::Quantile, 3).unwrap();
        assert_eq!(c.counts.iter().sum::<usize>(), 9);
        assert_eq!(classify(&values, &Method::Geometric, 3), Err(ClassifyError::NotPositive { min: -30.0 }));
        assert!(matches!(
            classify(&[0.0, 1.0, 2.0, 3.0], &Method::Geometric, 3),
            Err(ClassifyError::NotPositive { .. })
        ));
    }

    #[test]
    fn quantile_ties_collapse_classes_like_mapclassify() {
        // mapclassify.Quantiles(numpy.array([1.0] * 6 + [2, 3, 4, 5]), k=5): percentiles 20 and 40
        // both fall on the tied 1s, numpy.unique keeps one: bins [1.0, 1.3999999999999995, 3.2, 5.0]
        // (with a warning), counts [6, 0, 2, 2].
        let values = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 3.0, 4.0, 5.0];
        let c = classify(&values, &Method::Quantile, 5).unwrap();
        assert_eq!(c.breaks, [1.0, 1.0, 1.3999999999999995, 3.2, 5.0]);
        assert_eq!(c.counts, [6, 0, 2, 2]);
        assert_eq!(c.n_classes(), 4);
    }

    #[test]
    fn quantile_bound_between_tied_values_is_mapclassify_bit_for_bit() {
        // mapclassify.Quantiles(numpy.array(values), k=5).bins ==
        //   [43.53999999999999, 44.540000000000006, 48.08, 53.599999999999994, 55.0], counts
        //   [2, 2, 2, 1, 3]: the bound interpolated between the two 53.6 lands one ulp below them,
        //   so they count in the last class.
        let values = [39.8, 42.1, 43.9, 44.3, 44.7, 45.6, 51.8, 53.6, 53.6, 55.0];
        let c = classify(&values, &Method::Quantile, 5).unwrap();
        assert_eq!(c.breaks, [39.8, 43.53999999999999, 44.540000000000006, 48.08, 53.599999999999994, 55.0]);
        assert_eq!(c.counts, [2, 2, 2, 1, 3]);
    }

    #[test]
    fn manual_breaks_are_checked() {
        let values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let c = classify(&values, &Method::Manual(vec![2.0, 4.5]), 0).unwrap();
        assert_eq!(c.breaks, [1.0, 2.0, 4.5, 6.0]);
        assert_eq!(c.counts, [2, 2, 2]);
        assert_eq!(
            classify(&values, &Method::Manual(vec![6.0]), 0),
            Err(ClassifyError::ManualOutOfRange { value: 6.0, min: 1.0, max: 6.0 })
        );
        assert_eq!(
            Method::parse("manual", Some(vec![3.0, 3.0])),
            Err(ClassifyError::ManualNotIncreasing { previous: 3.0, value: 3.0 })
        );
        assert_eq!(
            classify(&values, &Method::Manual(vec![4.0, 2.0]), 0),
            Err(ClassifyError::ManualNotIncreasing { previous: 4.0, value: 2.0 })
        );
        assert_eq!(Method::parse("manual", Some(vec![])), Err(ClassifyError::ManualBreaksMissing));
        assert!(matches!(Method::parse("manual", Some(vec![f64::NAN])), Err(ClassifyError::ManualNonFinite { .. })));
        assert_eq!(Method::parse("q6", Some(vec![1.0])), Err(ClassifyError::ManualBreaksUnexpected { method: "q6" }));
    }

    #[test]
    fn method_names_parse_and_keys_round_trip() {
        let cases = [
            ("quantile", Method::Quantile),
            ("Quantiles", Method::Quantile),
            ("equal", Method::EqualInterval),
            ("equal_interval", Method::EqualInterval),
            ("jenks", Method::NaturalBreaks),
            ("natural", Method::NaturalBreaks),
            ("natural_breaks", Method::NaturalBreaks),
            ("fisher_jenks", Method::NaturalBreaks),
            ("stddev", Method::MeanStdDev),
            ("mean_sd", Method::MeanStdDev),
            ("std_mean", Method::MeanStdDev),
            (" Q6 ", Method::Q6),
            ("geometric", Method::Geometric),
            ("geometric-progression", Method::Geometric),
        ];
        for (name, method) in cases {
            assert_eq!(Method::parse(name, None).unwrap(), method, "{name}");
            assert_eq!(Method::parse(method.key(), None).unwrap(), method);
            assert!(!method.label_fr().is_empty());
            assert!(!method.label(Lang::En).is_empty());
            assert_eq!(method.label(Lang::Fr), method.label_fr());
        }
        let err = Method::parse("kmeans", None).unwrap_err();
        assert!(err.to_string().contains("« kmeans »"));
        assert_eq!(Method::NaturalBreaks.label_fr(), "Seuils naturels (Fisher-Jenks)");
    }

    #[test]
    fn same_breaks_across_years_pool_the_values() {
        let y2019 = [1.0, 2.0, 3.0, 10.0];
        let y2023 = [4.0, 5.0, 6.0, 20.0];
        let pooled = [1.0, 2.0, 3.0, 10.0, 4.0, 5.0, 6.0, 20.0];
        for method in [Method::Quantile, Method::EqualInterval, Method::NaturalBreaks] {
            let across = same_breaks_across(&[&y2019, &y2023], &method, 3).unwrap();
            assert_eq!(across, classify(&pooled, &method, 3).unwrap());
            assert_eq!(across.counts.iter().sum::<usize>(), 8);
            // Each year's values fall in a class of the shared bounds.
            assert!(y2019.iter().chain(&y2023).all(|&v| across.class_of(v).is_some()));
        }
    }

    #[test]
    fn class_of_follows_the_bounds_convention() {
        let c = Classification { method: "manual".into(), breaks: vec![1.0, 1.0, 5.0, 9.0], counts: vec![] };
        assert_eq!(c.class_of(1.0), Some(0));
        assert_eq!(c.class_of(1.5), Some(1));
        assert_eq!(c.class_of(5.0), Some(1));
        assert_eq!(c.class_of(9.0), Some(2));
        assert_eq!(c.class_of(0.5), None);
        assert_eq!(c.class_of(f64::NAN), None);
        assert_eq!(c.method_label_fr(), "Seuils manuels");
        assert_eq!(c.method_label(Lang::En), "Manual breaks");
    }
}
