//! The column mapping of a data file: which columns of a wide file hold which indicator and year
//! (`column`, `pattern` with `{year}` or `{yy}`, numerators and denominators), and the pieces of a
//! long file's indicator template (`pop_{sexe}_{age}`). Works on column names only: no cell is read
//! here.
//!
//! Depends on [`super::manifest`] and [`crate::indicator`].

use crate::code::IndicatorId;
use crate::indicator::Aggregation;

use super::load::DataLoader;
use super::validate::suggest;

/// Where one value comes from in a wide row. A `year` of 0 stands for the row's own year
/// (`year_column`).
#[derive(Debug, Clone)]
pub(super) struct WideColumn {
    pub(super) indicator: IndicatorId,
    pub(super) year: i32,
    pub(super) value: usize,
    pub(super) numerator: Option<usize>,
    pub(super) denominator: Option<usize>,
}

/// A piece of an indicator template.
pub(super) enum TemplatePart {
    Text(String),
    Column(usize),
}

impl DataLoader<'_> {
    /// The wide columns of the mapping, each problem reported (unknown indicator, computed one,
    /// missing column, pattern matching nothing, missing year).
    pub(super) fn wide_columns(&mut self, columns: &[String]) -> Vec<WideColumn> {
        let mut out = Vec::new();
        for (n, def) in self.def.columns.iter().enumerate() {
            let id = IndicatorId::new(&def.indicator);
            let Some(indicator) = self.indicators.get(&id).copied() else {
                let hint = suggest(&def.indicator, self.indicators.keys().map(IndicatorId::as_str));
                self.issue(format!("columns[{}]", n + 1), format!("indicateur inconnu « {} »{hint}", def.indicator));
                continue;
            };
            if matches!(indicator.aggregation, Aggregation::Derived(_)) {
                self.issue(
                    format!("columns[{}]", n + 1),
                    format!("l'indicateur « {id} » est calculé (derive) : il ne se lit pas dans un fichier"),
                );
                continue;
            }
            match (&def.column, &def.pattern) {
                (Some(column), None) => {
                    let year =
                        def.year.or(self.def.year).or_else(|| (indicator.years.len() == 1).then(|| indicator.years[0]));
                    let year = if self.def.year_column.is_some() && def.year.is_none() { Some(0) } else { year };
                    let Some(year) = year else {
                        self.issue(format!("colonne « {column} »"), "année manquante : indiquez year = …".into());
                        continue;
                    };
                    let Some(value) = self.column(columns, column) else { continue };
                    let numerator = def.numerator.as_deref().and_then(|c| self.column(columns, c));
                    let denominator = def.denominator.as_deref().and_then(|c| self.column(columns, c));
                    out.push(WideColumn { indicator: id, year, value, numerator, denominator });
                }
                (None, Some(pattern)) => {
                    let matches = match_pattern(pattern, columns);
                    if matches.is_empty() {
                        self.issue(
                            format!("motif « {pattern} »"),
                            format!("aucune colonne ne correspond ; colonnes présentes : {}", columns.join(", ")),
                        );
                    }
                    for (year, value, year_text) in matches {
                        let sub = |p: &Option<String>| {
                            p.as_ref().map(|p| p.replace("{year}", &year_text).replace("{yy}", &year_text))
                        };
                        let numerator = sub(&def.numerator).and_then(|c| self.column(columns, &c));
                        let denominator = sub(&def.denominator).and_then(|c| self.column(columns, &c));
                        out.push(WideColumn { indicator: id.clone(), year, value, numerator, denominator });
                    }
                }
                _ => self.issue(format!("columns[{}]", n + 1), "donnez soit « column », soit « pattern »".into()),
            }
        }
        out
    }

    /// Splits an indicator template (`pop_{sexe}_{age}`) into text and column references; `None`
    /// (after reporting) when a column is missing.
    pub(super) fn template_parts(&mut self, columns: &[String], template: &str) -> Option<Vec<TemplatePart>> {
        let mut parts = Vec::new();
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            parts.push(TemplatePart::Text(rest[..start].to_owned()));
            let Some(end) = rest[start..].find('}') else {
                self.issue("indicator_template".into(), format!("« {template} » : accolade non fermée"));
                return None;
            };
            let name = &rest[start + 1..start + end];
            parts.push(TemplatePart::Column(self.column(columns, name)?));
            rest = &rest[start + end + 1..];
        }
        parts.push(TemplatePart::Text(rest.to_owned()));
        Some(parts)
    }
}

/// Columns matching a pattern with `{year}` (four digits) or `{yy}` (two digits, 20yy), with the
/// year and the text that stood for it.
pub(super) fn match_pattern(pattern: &str, columns: &[String]) -> Vec<(i32, usize, String)> {
    let (placeholder, width) = if pattern.contains("{year}") { ("{year}", 4) } else { ("{yy}", 2) };
    let Some((prefix, suffix)) = pattern.split_once(placeholder) else { return Vec::new() };
    columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let middle = c.strip_prefix(prefix)?.strip_suffix(suffix)?;
            if middle.len() != width || !middle.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let n: i32 = middle.parse().ok()?;
            Some((if width == 2 { 2000 + n } else { n }, i, middle.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_find_one_column_per_year() {
        let columns: Vec<String> = ["code", "pmun_2018", "pmun_2023", "pmun_20x", "P19_POP"].map(String::from).to_vec();
        let found: Vec<i32> = match_pattern("pmun_{year}", &columns).into_iter().map(|m| m.0).collect();
        assert_eq!(found, vec![2018, 2023]);
        assert_eq!(match_pattern("P{yy}_POP", &columns)[0].0, 2019);
    }
}
