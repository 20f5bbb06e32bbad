//! Manifest validation: the manifest's text (UTF-8, a BOM dropped, UTF-16 refused), strict TOML
//! parsing with line and column, and the checks that turn the indicator and template definitions
//! into validated [`Indicator`]s, every problem listed (unknown inputs with a "did you mean",
//! cycles, templates naming unknown indicators). Also the years of indicators that declared none.
//!
//! Depends on [`super::manifest`] and [`crate::indicator`]; reads no file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::manifest::{self, AggregationDef, Manifest};
use super::{PackError, PackIssue};
use crate::aggregate::derive_inputs;
use crate::code::IndicatorId;
use crate::indicator::{Aggregation, Derive, Indicator};

/// The manifest's bytes as UTF-8 text (a BOM is dropped), or an error at the first byte that is
/// not: TOML is UTF-8, and a manifest saved as "Unicode" by a Windows editor is UTF-16.
pub(super) fn manifest_text<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, PackError> {
    let error = |line, column, message: String| PackError::Manifest { path: path.to_owned(), line, column, message };
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(error(1, 1, "fichier encodé en UTF-16 : un manifeste TOML est en UTF-8".into()));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.split(|b| *b == b'\n').count();
        let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&valid[line_start..]).chars().count() + 1;
        error(
            line,
            column,
            format!(
                "octet 0x{:02X} (position {}) qui n'est pas de l'UTF-8 : un manifeste TOML est un texte en UTF-8",
                bytes[e.valid_up_to()],
                e.valid_up_to()
            ),
        )
    })
}

/// Parses a manifest's text; `path` names it in messages. Unknown keys are errors.
pub fn parse_manifest(path: &Path, text: &str) -> Result<Manifest, PackError> {
    toml::from_str(text).map_err(|e: toml::de::Error| {
        let offset = e.span().map_or(0, |s| s.start);
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        PackError::Manifest { path: path.to_owned(), line, column, message: e.message().trim().to_owned() }
    })
}

/// The closest name among `candidates`, for "did you mean" hints.
pub(super) fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let best = candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d);
    best.map_or_else(String::new, |(_, c)| format!(" (vouliez-vous dire « {c} » ?)"))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb)).min(row[j] + 1).min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

pub(super) fn build_indicators(manifest: &Manifest, file: &Path, issues: &mut Vec<PackIssue>) -> Vec<Indicator> {
    let ids: BTreeSet<&str> = manifest.indicators.iter().map(|i| i.id.as_str()).collect();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let sources: BTreeMap<&str, &manifest::SourceDef> = manifest.sources.iter().map(|s| (s.id.as_str(), s)).collect();
    for def in &manifest.indicators {
        let place = format!("indicateur {}", def.id);
        let mut issue =
            |message: String| issues.push(PackIssue { file: file.to_owned(), place: place.clone(), message });
        if def.id.trim().is_empty() {
            issue("identifiant vide".into());
            continue;
        }
        if !seen.insert(def.id.as_str()) {
            issue("identifiant déjà utilisé par un autre indicateur".into());
            continue;
        }
        let aggregation = match (&def.derive, def.aggregation) {
            (Some(derive), _) => {
                let kinds = [derive.ratio.is_some(), derive.difference.is_some(), derive.change.is_some()];
                if kinds.iter().filter(|k| **k).count() != 1 {
                    issue("« derive » doit donner exactement une règle : ratio, difference ou change".into());
                    continue;
                }
                let mut ok = true;
                for input in derive.inputs() {
                    if !ids.contains(input) {
                        issue(format!(
                            "« derive » cite l'indicateur inconnu « {input} »{}",
                            suggest(input, ids.iter().copied())
                        ));
                        ok = false;
                    }
                }
                if !ok {
                    continue;
                }
                let rule = if let Some([n, d]) = &derive.ratio {
                    Derive::Ratio {
                        numerator: IndicatorId::new(n),
                        denominator: IndicatorId::new(d),
                        scale: def.scale.unwrap_or(1.0),
                    }
                } else if let Some([a, b]) = &derive.difference {
                    Derive::Difference(IndicatorId::new(a), IndicatorId::new(b))
                } else if let (Some(of), Some(from)) = (&derive.change, derive.from) {
                    Derive::Change { of: IndicatorId::new(of), from }
                } else {
                    issue("« change » demande aussi l'année de départ « from »".into());
                    continue;
                };
                Aggregation::Derived(rule)
            }
            (None, AggregationDef::Sum) => Aggregation::Sum,
            (None, AggregationDef::WeightedMean) => Aggregation::WeightedMean,
            (None, AggregationDef::None) => Aggregation::None,
            (None, AggregationDef::Rate) => match def.scale {
                Some(scale) if scale > 0.0 => Aggregation::Rate { scale },
                _ => {
                    issue("un taux (aggregation = \"rate\") demande son multiplicateur : scale = 100 pour un pourcentage, 1000, 100000…".into());
                    continue;
                }
            },
        };
        if def.secrecy.is_some_and(|s| s.secondary)
            && !matches!(aggregation, Aggregation::Sum | Aggregation::Rate { .. })
        {
            issue(
                "le secret secondaire (secrecy = { secondary = true }) s'applique aux effectifs et aux taux agrégés \
                 (aggregation = \"sum\" ou \"rate\") ; pour un indicateur calculé, placez-le sur l'indicateur dont il \
                 dépend"
                    .into(),
            );
            continue;
        }
        let source = sources.get(def.source.as_str()).map_or_else(
            || def.source.clone(),
            |s| if s.licence.is_empty() { s.label.clone() } else { format!("{}, {}", s.label, s.licence) },
        );
        let mut years = def.years.clone();
        years.sort_unstable();
        years.dedup();
        out.push(Indicator {
            id: IndicatorId::new(&def.id),
            label: def.label.clone(),
            definition: def.definition.clone(),
            unit: def.unit.clone(),
            source,
            theme: def.theme.clone(),
            years,
            decimals: def.decimals,
            aggregation,
            polarity: def.polarity,
            secrecy_min: def.secrecy.map(|s| s.min_numerator),
            secondary_secrecy: def.secrecy.is_some_and(|s| s.secondary),
            timeless: def.timeless,
        });
    }
    check_cycles(&out, file, issues);
    out
}

fn check_cycles(indicators: &[Indicator], file: &Path, issues: &mut Vec<PackIssue>) {
    let rules: BTreeMap<&IndicatorId, &Derive> = indicators
        .iter()
        .filter_map(|i| match &i.aggregation {
            Aggregation::Derived(rule) => Some((&i.id, rule)),
            _ => None,
        })
        .collect();
    for start in rules.keys() {
        let mut stack = vec![(*start, vec![(*start).clone()])];
        while let Some((id, path)) = stack.pop() {
            let Some(rule) = rules.get(id) else { continue };
            for input in derive_inputs(rule) {
                if input == *start {
                    let chain = path.iter().chain([input]).map(IndicatorId::as_str).collect::<Vec<_>>().join(" → ");
                    issues.push(PackIssue {
                        file: file.to_owned(),
                        place: format!("indicateur {start}"),
                        message: format!("calcul circulaire : {chain}"),
                    });
                    return;
                }
                if !path.contains(input) && path.len() < 64 {
                    let mut next = path.clone();
                    next.push(input.clone());
                    stack.push((input, next));
                }
            }
        }
    }
}

/// Years of indicators that declared none: from the data for base indicators, from their inputs for
/// computed ones.
pub(super) fn fill_years(indicators: &mut [Indicator], seen: &BTreeMap<IndicatorId, BTreeSet<i32>>) {
    for indicator in indicators.iter_mut() {
        if indicator.years.is_empty() && !matches!(indicator.aggregation, Aggregation::Derived(_)) {
            indicator.years = seen.get(&indicator.id).map(|s| s.iter().copied().collect()).unwrap_or_default();
        }
    }
    for _ in 0..indicators.len() {
        let snapshot: BTreeMap<IndicatorId, (Vec<i32>, bool)> =
            indicators.iter().map(|i| (i.id.clone(), (i.years.clone(), i.timeless))).collect();
        let years_of = |id: &IndicatorId| snapshot.get(id).cloned().unwrap_or_default();
        for indicator in indicators.iter_mut() {
            let Aggregation::Derived(rule) = &indicator.aggregation else { continue };
            if !indicator.years.is_empty() {
                continue;
            }
            indicator.years = match rule {
                Derive::Ratio { numerator: a, denominator: b, .. } | Derive::Difference(a, b) => {
                    let (ya, ta) = years_of(a);
                    let (yb, tb) = years_of(b);
                    if tb {
                        ya
                    } else if ta {
                        yb
                    } else {
                        ya.into_iter().filter(|y| yb.contains(y)).collect()
                    }
                }
                Derive::Change { of, from } => years_of(of).0.into_iter().filter(|y| y > from).collect(),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos() {
        assert!(suggest("pmun_218", ["pmun_2018", "code"]).contains("pmun_2018"));
        assert_eq!(suggest("zzzz", ["pmun_2018"]), "");
    }
}
