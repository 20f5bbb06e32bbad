//! The portrait's tables and charts: key figures, comparison bars, evolution lines, position among
//! the units of the region, population pyramid. Each reads values through the [`Builder`] (secrecy
//! already applied by the store) and calls a pure builder of [`crate::chart`]; the data behind each
//! figure becomes its CSV table, with heads in the portrait's language.

use std::collections::BTreeSet;

use super::{Builder, ChartKind, Illustration, IllustrationKind, source_line};
use crate::chart::{self, ChartText, Entry, Role, Series, TableCell, TableFigure};
use crate::code::Level;
use crate::export::csv::{CsvCell, CsvTable};
use crate::indicator::Indicator;
use crate::territory::Territory;
use crate::text::Lang;
use crate::value::Value;

/// A territory's role in the data tables.
fn role_name(role: Role, lang: Lang) -> &'static str {
    match role {
        Role::Territory => lang.pick("territoire", "territory"),
        Role::Comparison => lang.pick("comparaison", "comparison"),
        Role::Other => lang.pick("autre", "other"),
    }
}

/// The header of a data table listing entries.
fn entries_header(lang: Lang) -> Vec<String> {
    let header = match lang {
        Lang::Fr => ["code", "nom", "role", "annee", "valeur"],
        Lang::En => ["code", "name", "role", "year", "value"],
    };
    header.map(String::from).to_vec()
}

impl Builder<'_> {
    pub(super) fn key_figures(&self, indicators: &[&Indicator], title: Option<&str>) -> Illustration {
        let lang = self.lang;
        let mut columns =
            [lang.pick("Indicateur", "Indicator"), lang.pick("Unité", "Unit"), lang.pick("Année", "Year")]
                .map(String::from)
                .to_vec();
        columns.extend(self.zones.iter().map(|(t, _)| t.name.clone()));
        let mut rows = Vec::new();
        let header = match lang {
            Lang::Fr => ["indicateur", "libelle", "unite", "annee"],
            Lang::En => ["indicator", "label", "unit", "year"],
        };
        let mut header = header.map(String::from).to_vec();
        header.extend(self.zones.iter().map(|(t, _)| format!("{} ({})", t.name, t.code)));
        let mut data_rows = Vec::new();
        let mut sources = BTreeSet::new();
        for indicator in indicators {
            let year = self.year(indicator);
            let decimals = usize::from(indicator.decimals);
            let mut row = vec![
                TableCell::Text(indicator.label.clone()),
                TableCell::Text(indicator.unit.clone()),
                TableCell::Text(year.to_string()),
            ];
            let mut data = vec![
                CsvCell::Text(indicator.id.to_string()),
                CsvCell::Text(indicator.label.clone()),
                CsvCell::Text(indicator.unit.clone()),
                CsvCell::Integer(i64::from(year)),
            ];
            for (t, _) in &self.zones {
                let value = self.value(indicator, t, year);
                row.push(TableCell::Value { value, decimals });
                data.push(CsvCell::Value { value, decimals });
            }
            rows.push(row);
            data_rows.push(data);
            if !indicator.source.is_empty() {
                sources.insert(indicator.source.clone());
            }
        }
        let mut source = sources.into_iter().map(|s| source_line(&s, lang)).collect::<Vec<_>>().join(" ");
        if !self.pack.manifest.pack.attribution.is_empty() {
            source.push(' ');
            source.push_str(&self.pack.manifest.pack.attribution);
        }
        let title = title.map_or_else(
            || format!("{} — {}", lang.pick("Chiffres clés", "Key figures"), self.territory.name),
            str::to_owned,
        );
        let figure = chart::table_figure(&TableFigure {
            title: title.clone(),
            columns,
            rows,
            source: source.trim().to_owned(),
            highlight_column: Some(3),
            lang,
        });
        Illustration {
            slug: "chiffres-cles".into(),
            title,
            kind: IllustrationKind::Table,
            figure,
            data: CsvTable { header, rows: data_rows },
        }
    }

    fn entries_table(entries: &[Entry], year: i32, decimals: usize, lang: Lang) -> CsvTable {
        CsvTable {
            header: entries_header(lang),
            rows: entries
                .iter()
                .map(|e| {
                    vec![
                        CsvCell::Text(e.code.clone()),
                        CsvCell::Text(e.name.clone()),
                        CsvCell::Text(role_name(e.role, lang).into()),
                        CsvCell::Integer(i64::from(year)),
                        CsvCell::Value { value: e.value, decimals },
                    ]
                })
                .collect(),
        }
    }

    pub(super) fn bar(&self, indicator: &Indicator, title: Option<&str>) -> Illustration {
        let year = self.year(indicator);
        let entries: Vec<Entry> = self.zones.iter().map(|(t, role)| self.entry(indicator, t, *role, year)).collect();
        let title = title.map_or_else(
            || match self.lang {
                Lang::Fr => format!("{} : comparaison", indicator.label),
                Lang::En => format!("{}: comparison", indicator.label),
            },
            str::to_owned,
        );
        let figure = chart::bar_chart(&self.chart_text(indicator, title.clone(), Some(year)), &entries);
        Illustration {
            slug: format!("barres-{}", indicator.id),
            title,
            kind: IllustrationKind::Chart(ChartKind::Bar),
            figure,
            data: Self::entries_table(&entries, year, usize::from(indicator.decimals), self.lang),
        }
    }

    pub(super) fn evolution(&self, indicator: &Indicator, title: Option<&str>) -> Illustration {
        let series: Vec<Series> = self
            .zones
            .iter()
            .map(|(t, role)| Series {
                code: t.code.to_string(),
                name: t.name.clone(),
                role: *role,
                points: indicator.years.iter().map(|&y| (y, self.value(indicator, t, y))).collect(),
            })
            .collect();
        // Counts of territories of different sizes only compare as indices.
        let indexed = indicator.is_count() && self.zones.len() > 1;
        let title = title.map_or_else(
            || match self.lang {
                Lang::Fr => format!("Évolution : {}", indicator.label),
                Lang::En => format!("Trend: {}", indicator.label),
            },
            str::to_owned,
        );
        let figure = chart::line_chart(&self.chart_text(indicator, title.clone(), None), &series, indexed);
        let decimals = usize::from(indicator.decimals);
        let lang = self.lang;
        let rows = series
            .iter()
            .flat_map(|s| {
                s.points.iter().map(move |(y, v)| {
                    vec![
                        CsvCell::Text(s.code.clone()),
                        CsvCell::Text(s.name.clone()),
                        CsvCell::Text(role_name(s.role, lang).into()),
                        CsvCell::Integer(i64::from(*y)),
                        CsvCell::Value { value: *v, decimals },
                    ]
                })
            })
            .collect();
        Illustration {
            slug: format!("evolution-{}", indicator.id),
            title,
            kind: IllustrationKind::Chart(ChartKind::Evolution),
            figure,
            data: CsvTable { header: entries_header(lang), rows },
        }
    }

    pub(super) fn position(&self, indicator: &Indicator, level: &Level, title: Option<&str>) -> Illustration {
        let year = self.year(indicator);
        let region = self.region_of_territory();
        let units: Vec<Entry> = self
            .units_within(level, &region)
            .into_iter()
            .map(|t| Entry {
                code: t.code.to_string(),
                name: t.name.clone(),
                value: self.value(indicator, t, year),
                role: if t.level == self.territory.level && t.code == self.territory.code {
                    Role::Territory
                } else {
                    Role::Other
                },
            })
            .collect();
        let references: Vec<Entry> = self
            .zones
            .iter()
            .filter(|(t, _)| t.level != *level)
            .map(|(t, role)| self.entry(indicator, t, *role, year))
            .collect();
        let positives = units.iter().filter_map(|e| e.value.number()).collect::<Vec<_>>();
        let log_scale = !positives.is_empty()
            && positives.iter().all(|v| *v > 0.0)
            && positives.iter().copied().fold(f64::MIN, f64::max) / positives.iter().copied().fold(f64::MAX, f64::min)
                > 100.0;
        let region_name = self.pack.territories.get(&region.level, &region.code).map_or("France", |t| t.name.as_str());
        let title = title.map_or_else(
            || {
                let (label, name, units) = (&indicator.label, &self.territory.name, level.plural(self.lang));
                match self.lang {
                    Lang::Fr => format!("{label} : {name} parmi les {units} ({region_name})"),
                    Lang::En => format!("{label}: {name} among the {units} ({region_name})"),
                }
            },
            str::to_owned,
        );
        let figure = chart::position_chart(
            &self.chart_text(indicator, title.clone(), Some(year)),
            &units,
            &references,
            log_scale,
        );
        let mut all = units;
        all.extend(references);
        Illustration {
            slug: format!("position-{}", indicator.id),
            title,
            kind: IllustrationKind::Chart(ChartKind::Position),
            figure,
            data: Self::entries_table(&all, year, usize::from(indicator.decimals), self.lang),
        }
    }

    pub(super) fn pyramid(
        &self,
        bands: &[String],
        men: &[&Indicator],
        women: &[&Indicator],
        title: Option<&str>,
    ) -> Illustration {
        let year = men.first().map_or(0, |i| self.year(i));
        let values =
            |list: &[&Indicator], t: &Territory| list.iter().map(|i| self.value(i, t, year)).collect::<Vec<_>>();
        let (men_t, women_t) = (values(men, self.territory), values(women, self.territory));
        let comparison =
            self.zones.iter().skip(1).find(|(t, _)| t.level == Level::Region).or_else(|| self.zones.get(1));
        let comparison_values = comparison.map(|(t, _)| (t.name.clone(), values(men, t), values(women, t)));
        let lang = self.lang;
        let title = title.map_or_else(
            || format!("{} — {}", lang.pick("Pyramide des âges", "Age pyramid"), self.territory.name),
            str::to_owned,
        );
        let subtitle = match lang {
            Lang::Fr => format!("Population par sexe et âge, {year} (part de la population totale, %)"),
            Lang::En => format!("Population by sex and age, {year} (share of the total population, %)"),
        };
        let text = ChartText {
            title: title.clone(),
            subtitle,
            source: men.first().map(|i| self.source(i)).unwrap_or_default(),
            unit: "%".into(),
            decimals: 1,
            lang,
        };
        let figure = chart::pyramid(
            &text,
            bands,
            &men_t,
            &women_t,
            comparison_values.as_ref().map(|(n, m, w)| (n.as_str(), m.as_slice(), w.as_slice())),
            true,
        );
        let rows = bands
            .iter()
            .enumerate()
            .map(|(i, band)| {
                vec![
                    CsvCell::Text(band.clone()),
                    CsvCell::Value { value: men_t.get(i).copied().unwrap_or(Value::Missing), decimals: 0 },
                    CsvCell::Value { value: women_t.get(i).copied().unwrap_or(Value::Missing), decimals: 0 },
                ]
            })
            .collect();
        Illustration {
            slug: "pyramide".into(),
            title,
            kind: IllustrationKind::Chart(ChartKind::Pyramid),
            figure,
            data: CsvTable {
                header: ["age", lang.pick("hommes", "men"), lang.pick("femmes", "women")].map(String::from).to_vec(),
                rows,
            },
        }
    }
}
