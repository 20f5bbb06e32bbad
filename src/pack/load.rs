//! Loading one data file (`[[data]]`) into the value store: the file opened once, only the columns
//! the mapping names read (codes and labels as text, values, numerators and denominators as
//! numbers), each row's territory resolved once to an id, then the cells written column by column
//! (wide layout) or row by row (long layout). Join diagnostics: codes unknown at the level (with
//! those of another COG vintage), territories without data, duplicate cells (the first is kept),
//! indicators the manifest does not describe. Problems are listed by line, as a sequential reading
//! would meet them, at most [`MAX_ISSUES_PER_FILE`] per file.
//!
//! Depends on [`crate::table`], [`crate::territory`] and [`crate::aggregate`] (its crate-private
//! loading entry points).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use super::PackIssue;
use super::manifest::{DataDef, Layout};
use super::mapping::{TemplatePart, WideColumn};
use super::tables::csv_options;
use super::validate::suggest;
use crate::aggregate::{RawCell, Store, UnitId};
use crate::code::{IndicatorId, Level, TerritoryCode};
use crate::diagnostics::Warning;
use crate::indicator::Indicator;
use crate::table::csv::NumberCell;
use crate::table::{NumberColumn, Source, Table};
use crate::territory::{TerritorySet, normalise_code};

/// At most this many problems are listed per data file; the rest are counted.
pub(super) const MAX_ISSUES_PER_FILE: usize = 20;

/// Reads one data file into the store, collecting problems.
pub(super) struct DataLoader<'a> {
    pub(super) def: &'a DataDef,
    pub(super) path: PathBuf,
    pub(super) indicators: &'a BTreeMap<IndicatorId, &'a Indicator>,
    pub(super) territories: &'a TerritorySet,
    pub(super) history: &'a BTreeMap<TerritoryCode, TerritoryCode>,
    /// Problems of the mapping, in the order met.
    issues: Vec<PackIssue>,
    /// Problems of rows, by (row, stage, order within the row).
    row_issues: Vec<((usize, usize, usize), PackIssue)>,
    /// Partial problems.
    pub(super) warnings: Vec<Warning>,
    /// Row problems kept per stage.
    stage_counts: [usize; 3],
    /// Cells given twice, by (row, column of the mapping).
    duplicates: Vec<((usize, usize), Warning)>,
}

/// What a long file's rows name their indicator with.
enum IndicatorSource {
    Fixed(String),
    Column(usize),
    Template(Vec<TemplatePart>),
}

/// The columns of a long file.
struct LongColumns {
    indicator: IndicatorSource,
    year: Option<usize>,
    value: usize,
    numerator: Option<usize>,
    denominator: Option<usize>,
}

impl<'a> DataLoader<'a> {
    pub(super) fn new(
        def: &'a DataDef,
        path: PathBuf,
        indicators: &'a BTreeMap<IndicatorId, &'a Indicator>,
        territories: &'a TerritorySet,
        history: &'a BTreeMap<TerritoryCode, TerritoryCode>,
    ) -> Self {
        DataLoader {
            def,
            path,
            indicators,
            territories,
            history,
            issues: Vec::new(),
            row_issues: Vec::new(),
            stage_counts: [0; 3],
            warnings: Vec::new(),
            duplicates: Vec::new(),
        }
    }

    /// The problems (mapping first, then rows in order, at most [`MAX_ISSUES_PER_FILE`]), the
    /// warnings, then the duplicates in the order of the file.
    pub(super) fn finish(mut self) -> (Vec<PackIssue>, Vec<Warning>) {
        self.row_issues.sort_by_key(|(key, _)| *key);
        let mut all = self.issues;
        all.extend(self.row_issues.into_iter().map(|(_, issue)| issue));
        if all.len() > MAX_ISSUES_PER_FILE {
            all.truncate(MAX_ISSUES_PER_FILE);
            all.push(PackIssue {
                file: self.path.clone(),
                place: String::new(),
                message: "trop de problèmes ; les suivants ne sont pas listés".into(),
            });
        }
        self.duplicates.sort_by_key(|(key, _)| *key);
        let mut warnings = self.warnings;
        warnings.extend(self.duplicates.into_iter().map(|(_, w)| w));
        (all, warnings)
    }

    pub(super) fn issue(&mut self, place: String, message: String) {
        self.issues.push(PackIssue { file: self.path.clone(), place, message });
    }

    /// A problem of a row. Each stage (0: territory, 1: year, 2: cells) reports its rows in order,
    /// so keeping the first few of each is enough to list the first ones of the file.
    fn row_issue(&mut self, key: (usize, usize, usize), place: String, message: String) {
        let stage = key.1.min(2);
        if self.stage_counts[stage] <= MAX_ISSUES_PER_FILE {
            self.stage_counts[stage] += 1;
            self.row_issues.push((key, PackIssue { file: self.path.clone(), place, message }));
        }
    }

    pub(super) fn column(&mut self, columns: &[String], name: &str) -> Option<usize> {
        let found = crate::table::column_index(columns, name);
        if found.is_none() {
            let hint = suggest(name, columns.iter().map(String::as_str));
            self.issue(
                format!("colonne « {name} »"),
                format!("colonne absente du fichier{hint} ; colonnes présentes : {}", columns.join(", ")),
            );
        }
        found
    }

    /// Reads the file into `store`.
    pub(super) fn load(&mut self, store: &mut Store) {
        let source = csv_options(self.def.separator.as_deref(), self.def.encoding.as_deref())
            .and_then(|options| Source::open(&self.path, &options).map_err(|e| e.to_string()));
        let source = match source {
            Ok(s) => s,
            Err(message) => {
                self.issue(String::new(), message);
                return;
            }
        };
        let columns = source.columns().to_vec();
        let code_name = self.def.code_column.clone().unwrap_or_else(|| {
            ["code", "CODGEO", "codgeo"]
                .into_iter()
                .find(|c| source.column_index(c).is_some())
                .unwrap_or("code")
                .to_owned()
        });
        let Some(code_col) = self.column(&columns, &code_name) else { return };
        let custom = self.territories.custom_level_names();
        let Some((fixed_level, level_col)) = self.levels(&columns, &custom) else { return };
        let mut text = vec![code_col];
        text.extend(level_col);
        let mut filters = Vec::new();
        for (name, wanted) in &self.def.filter {
            let Some(c) = self.column(&columns, name) else { return };
            filters.push((c, wanted.clone()));
        }
        text.extend(filters.iter().map(|(c, _)| *c));
        let rows =
            RowPlan { code_col, fixed_level: fixed_level.as_ref(), level_col, custom: &custom, filters: &filters };
        match self.def.layout {
            Layout::Wide => {
                let wide = self.wide_columns(&columns);
                let year_col = match &self.def.year_column {
                    Some(name) => match self.column(&columns, name) {
                        Some(c) => Some(c),
                        None => return,
                    },
                    None => None,
                };
                text.extend(year_col);
                let numbers: Vec<usize> =
                    wide.iter().flat_map(|c| [Some(c.value), c.numerator, c.denominator]).flatten().collect();
                let Some(table) = self.read(&source, &text, &numbers) else { return };
                // The decoded text is not needed past this point: its memory goes before the store grows.
                drop(source);
                let units = self.resolve_rows(&table, &rows, store);
                self.load_wide(&table, &units, &wide, year_col, store);
            }
            Layout::Long => {
                let Some(long) = self.long_columns(&columns) else { return };
                if let IndicatorSource::Column(c) = long.indicator {
                    text.push(c);
                }
                if let IndicatorSource::Template(parts) = &long.indicator {
                    text.extend(parts.iter().filter_map(|p| match p {
                        TemplatePart::Column(c) => Some(*c),
                        TemplatePart::Text(_) => None,
                    }));
                }
                text.extend(long.year);
                let numbers: Vec<usize> =
                    [Some(long.value), long.numerator, long.denominator].into_iter().flatten().collect();
                let Some(table) = self.read(&source, &text, &numbers) else { return };
                drop(source);
                let units = self.resolve_rows(&table, &rows, store);
                self.load_long(&table, &units, &long, store);
            }
        }
    }

    fn read(&mut self, source: &Source, text: &[usize], numbers: &[usize]) -> Option<Table> {
        match source.read(text, numbers) {
            Ok(t) => Some(t),
            Err(e) => {
                self.issue(String::new(), e.to_string());
                None
            }
        }
    }

    /// The level of every row (`level`) or the column holding it (`level_column`).
    fn levels(&mut self, columns: &[String], custom: &[String]) -> Option<(Option<Level>, Option<usize>)> {
        let fixed_level = match &self.def.level {
            Some(name) => {
                let Some(level) = Level::parse(name, custom) else {
                    self.issue(
                        "level".into(),
                        format!(
                            "niveau « {name} » inconnu ; acceptés : commune, epci, departement, region, france{}",
                            if custom.is_empty() { String::new() } else { format!(", {}", custom.join(", ")) }
                        ),
                    );
                    return None;
                };
                Some(level)
            }
            None => None,
        };
        let level_col = match (&fixed_level, &self.def.level_column) {
            (Some(_), _) => None,
            (None, Some(name)) => Some(self.column(columns, name)?),
            (None, None) => {
                self.issue(String::new(), "ni « level » ni « level_column » : le niveau des lignes est inconnu".into());
                return None;
            }
        };
        Some((fixed_level, level_col))
    }

    /// The columns of a long file, each missing one reported.
    fn long_columns(&mut self, columns: &[String]) -> Option<LongColumns> {
        let def = self.def;
        let indicator = match (&def.indicator, &def.indicator_template, &def.indicator_column) {
            (Some(fixed), _, _) => IndicatorSource::Fixed(fixed.clone()),
            (None, Some(template), _) => IndicatorSource::Template(self.template_parts(columns, template)?),
            (None, None, Some(name)) => IndicatorSource::Column(self.column(columns, name)?),
            (None, None, None) => IndicatorSource::Column(self.column(columns, "indicateur")?),
        };
        let year_name = def.year_column.clone().unwrap_or_else(|| "annee".into());
        let value_name = def.value_column.clone().unwrap_or_else(|| "valeur".into());
        let year = match def.year {
            Some(_) => None,
            None => Some(self.column(columns, &year_name)?),
        };
        let value = self.column(columns, &value_name)?;
        let numerator = def.numerator_column.as_deref().and_then(|c| self.column(columns, c));
        let denominator = def.denominator_column.as_deref().and_then(|c| self.column(columns, c));
        Some(LongColumns { indicator, year, value, numerator, denominator })
    }
}

/// How rows are matched to territories.
struct RowPlan<'p> {
    code_col: usize,
    fixed_level: Option<&'p Level>,
    level_col: Option<usize>,
    custom: &'p [String],
    filters: &'p [(usize, String)],
}

impl DataLoader<'_> {
    /// The territory of every row (`None`: filtered out, or no territory), with the join
    /// diagnostics: unknown codes by level, territories of a level without any row.
    fn resolve_rows(&mut self, table: &Table, plan: &RowPlan<'_>, store: &Store) -> Vec<Option<UnitId>> {
        let mut unknown: BTreeMap<Level, BTreeSet<TerritoryCode>> = BTreeMap::new();
        let mut seen_levels: BTreeSet<Level> = BTreeSet::new();
        let mut seen: HashSet<UnitId> = HashSet::new();
        let mut levels: HashMap<&str, Option<Level>> = HashMap::new();
        let mut codes: HashMap<(&str, &str), Option<UnitId>> = HashMap::new();
        let mut units = Vec::with_capacity(table.n_rows());
        for row in 0..table.n_rows() {
            units.push(None);
            if plan.filters.iter().any(|(c, wanted)| table.text(row, *c).unwrap_or("") != wanted) {
                continue;
            }
            let line = table.line_of_row(row);
            let level_text = plan.level_col.map_or("", |c| table.text(row, c).unwrap_or(""));
            let level = match plan.fixed_level {
                Some(level) => Some(level.clone()),
                None => levels.entry(level_text).or_insert_with(|| Level::parse(level_text, plan.custom)).clone(),
            };
            let Some(level) = level else {
                let column = plan.level_col.map_or("", |c| table.columns[c].as_str());
                self.row_issue(
                    (row, 0, 0),
                    format!("ligne {line}, colonne « {column} »"),
                    format!("niveau « {level_text} » inconnu"),
                );
                continue;
            };
            let Some(raw_code) = table.text(row, plan.code_col) else {
                self.row_issue(
                    (row, 0, 0),
                    format!("ligne {line}, colonne « {} »", table.columns[plan.code_col]),
                    "code de territoire vide".into(),
                );
                continue;
            };
            let unit = *codes.entry((level_text, raw_code)).or_insert_with(|| {
                let code = normalise_code(&level, raw_code).0;
                let unit = store.unit(&level, &code);
                if unit.is_none() {
                    unknown.entry(level.clone()).or_default().insert(code);
                }
                unit
            });
            if let Some(unit) = unit {
                if seen.insert(unit) {
                    seen_levels.insert(level);
                }
                units[row] = Some(unit);
            }
        }
        self.join_warnings(unknown, &seen_levels, &seen, store);
        units
    }

    fn join_warnings(
        &mut self,
        unknown: BTreeMap<Level, BTreeSet<TerritoryCode>>,
        seen_levels: &BTreeSet<Level>,
        seen: &HashSet<UnitId>,
        store: &Store,
    ) {
        for (level, codes) in unknown {
            let other_vintage = codes
                .iter()
                .filter(|c| {
                    self.history.contains_key(*c) || (level == Level::Commune && self.looks_like_old_commune(c))
                })
                .cloned()
                .collect();
            self.warnings.push(Warning::UnknownCodes {
                file: self.path.clone(),
                level,
                count: codes.len(),
                codes: codes.into_iter().take(50).collect(),
                other_vintage,
            });
        }
        for level in seen_levels {
            let Some(layer) = self.territories.level(level) else { continue };
            let without: Vec<TerritoryCode> = layer
                .territories
                .keys()
                .filter(|c| !store.unit(level, c).is_some_and(|u| seen.contains(&u)))
                .cloned()
                .collect();
            if !without.is_empty() && *level != Level::France {
                self.warnings.push(Warning::TerritoriesWithoutData {
                    file: self.path.clone(),
                    level: level.clone(),
                    count: without.len(),
                    examples: without.into_iter().take(10).collect(),
                });
            }
        }
    }

    /// A commune code shaped like the INSEE ones, in a département whose communes are loaded, but
    /// absent from them: most likely a commune merged or renamed in another COG vintage.
    fn looks_like_old_commune(&self, code: &TerritoryCode) -> bool {
        let s = code.as_str();
        s.len() == 5
            && s.is_char_boundary(2)
            && self.territories.level(&Level::Commune).is_some_and(|layer| {
                layer
                    .territories
                    .range(TerritoryCode::new(&s[..2])..)
                    .next()
                    .is_some_and(|(c, _)| c.as_str().starts_with(&s[..2]))
            })
    }

    /// The year of a row: the fixed year of the file, or the year column's value.
    fn row_year(&mut self, table: &Table, row: usize, year_col: Option<usize>) -> Option<i32> {
        if let Some(year) = self.def.year {
            return Some(year);
        }
        let col = year_col?;
        let text = table.text(row, col).unwrap_or("");
        let year = text.trim().parse::<i32>().ok();
        if year.is_none() {
            let line = table.line_of_row(row);
            self.row_issue(
                (row, 1, 0),
                format!("ligne {line}, colonne « {} »", table.columns[col]),
                format!("« {text} » n'est pas une année"),
            );
        }
        year
    }

    /// The first cell in error among `cols` of a row (value, then numerator, then denominator),
    /// reported when `report`; true when there was one.
    fn cell_error(&mut self, table: &Table, row: usize, order: usize, cols: [Option<usize>; 3], report: bool) -> bool {
        for col in cols.into_iter().flatten() {
            let Some(numbers) = table.numbers(col) else { continue };
            if let Some((_, error)) = numbers.errors().iter().find(|(r, _)| *r == row) {
                if report {
                    let line = table.line_of_row(row);
                    self.row_issue(
                        (row, 2, order),
                        format!("ligne {line}, colonne « {} »", table.columns[col]),
                        error.to_string(),
                    );
                }
                return true;
            }
        }
        false
    }

    /// Inserts a cell the file gives; a cell given before is kept and this one reported.
    fn give(&mut self, store: &mut Store, table: &Table, at: &Given, indicator: &IndicatorId, cell: RawCell) {
        if store.insert_given(at.slot, at.year, at.unit, &cell) {
            return;
        }
        let Some((_, code)) = store.unit_ref(at.unit) else { return };
        let warning = Warning::Duplicate {
            file: self.path.clone(),
            line: table.line_of_row(at.row),
            indicator: indicator.clone(),
            code: code.clone(),
            year: at.year,
        };
        self.duplicates.push(((at.row, at.order), warning));
    }

    /// Wide layout: one column of the mapping after the other, every row.
    fn load_wide(
        &mut self,
        table: &Table,
        units: &[Option<UnitId>],
        wide: &[WideColumn],
        year_col: Option<usize>,
        store: &mut Store,
    ) {
        let row_years: Vec<Option<i32>> = (0..units.len())
            .map(|row| match (units[row], year_col) {
                (Some(_), Some(_)) => self.row_year(table, row, year_col),
                _ => None,
            })
            .collect();
        let error_rows = rows_with_errors(table, wide.iter().flat_map(|c| [Some(c.value), c.numerator, c.denominator]));
        let skipped = |row: usize| units[row].is_none() || (year_col.is_some() && row_years[row].is_none());
        // Cells in error reported row by row, as a sequential reading meets them.
        let mut in_error: Vec<usize> = error_rows.iter().copied().filter(|&r| !skipped(r)).collect();
        in_error.sort_unstable();
        for row in in_error {
            for (order, c) in wide.iter().enumerate() {
                self.cell_error(table, row, order, [Some(c.value), c.numerator, c.denominator], true);
            }
        }
        let empty = NumberColumn::default();
        for (order, c) in wide.iter().enumerate() {
            let Some(slot) = store.slot(&c.indicator) else { continue };
            let cells = CellColumns::new(table, &empty, c.value, c.numerator, c.denominator);
            for (row, unit) in units.iter().enumerate() {
                let Some(unit) = *unit else { continue };
                if skipped(row) {
                    continue;
                }
                let year = if c.year == 0 { row_years[row].unwrap_or(0) } else { c.year };
                if error_rows.contains(&row)
                    && self.cell_error(table, row, order, [Some(c.value), c.numerator, c.denominator], false)
                {
                    continue;
                }
                let given = Given { slot, year, unit, row, order };
                self.give(store, table, &given, &c.indicator, cells.cell(row));
            }
        }
    }

    /// Long layout: row after row, the indicator named by a column, a template or the file.
    fn load_long(&mut self, table: &Table, units: &[Option<UnitId>], long: &LongColumns, store: &mut Store) {
        let mut undescribed: BTreeSet<String> = BTreeSet::new();
        let mut known: HashMap<String, Option<(IndicatorId, usize)>> = HashMap::new();
        let error_rows = rows_with_errors(table, [Some(long.value), long.numerator, long.denominator].into_iter());
        let empty = NumberColumn::default();
        let cells = CellColumns::new(table, &empty, long.value, long.numerator, long.denominator);
        for (row, unit) in units.iter().enumerate() {
            let Some(unit) = *unit else { continue };
            let name: std::borrow::Cow<'_, str> = match &long.indicator {
                IndicatorSource::Fixed(name) => name.as_str().into(),
                IndicatorSource::Column(c) => table.text(row, *c).unwrap_or("").into(),
                IndicatorSource::Template(parts) => parts
                    .iter()
                    .map(|p| match p {
                        TemplatePart::Text(t) => t.as_str(),
                        TemplatePart::Column(c) => table.text(row, *c).unwrap_or(""),
                    })
                    .collect::<String>()
                    .into(),
            };
            if !known.contains_key(name.as_ref()) {
                let id =
                    IndicatorId::new(self.def.indicator_names.get(name.as_ref()).map_or(name.as_ref(), String::as_str));
                let entry = if self.indicators.contains_key(&id) { store.slot(&id).map(|s| (id, s)) } else { None };
                known.insert(name.to_string(), entry);
            }
            let Some((id, slot)) = known.get(name.as_ref()).cloned().flatten() else {
                undescribed.insert(name.into_owned());
                continue;
            };
            let Some(year) = self.row_year(table, row, long.year) else { continue };
            if error_rows.contains(&row)
                && self.cell_error(table, row, 0, [Some(long.value), long.numerator, long.denominator], true)
            {
                continue;
            }
            let given = Given { slot, year, unit, row, order: 0 };
            self.give(store, table, &given, &id, cells.cell(row));
        }
        if !undescribed.is_empty() {
            self.warnings.push(Warning::Other(format!(
                "{} : {} indicateur(s) du fichier non décrit(s) dans le manifeste, ignoré(s) : {}",
                self.path.display(),
                undescribed.len(),
                undescribed.into_iter().take(10).collect::<Vec<_>>().join(", ")
            )));
        }
    }
}

/// Where a cell goes: indicator slot, year, territory; and where it comes from.
struct Given {
    slot: usize,
    year: i32,
    unit: UnitId,
    row: usize,
    order: usize,
}

/// The number columns one cell is read from.
struct CellColumns<'t> {
    value: &'t NumberColumn,
    numerator: Option<&'t NumberColumn>,
    denominator: Option<&'t NumberColumn>,
}

impl<'t> CellColumns<'t> {
    fn new(
        table: &'t Table,
        empty: &'t NumberColumn,
        value: usize,
        numerator: Option<usize>,
        denominator: Option<usize>,
    ) -> Self {
        CellColumns {
            value: table.numbers(value).unwrap_or(empty),
            numerator: numerator.and_then(|col| table.numbers(col)),
            denominator: denominator.and_then(|col| table.numbers(col)),
        }
    }

    fn cell(&self, row: usize) -> RawCell {
        raw_cell(
            self.value.get(row),
            self.numerator.map_or(NumberCell::Missing, |n| n.get(row)),
            self.denominator.map_or(NumberCell::Missing, |n| n.get(row)),
        )
    }
}

/// The rows where some of these number columns hold a cell that is not a number.
fn rows_with_errors(table: &Table, cols: impl Iterator<Item = Option<usize>>) -> HashSet<usize> {
    cols.flatten().filter_map(|c| table.numbers(c)).flat_map(|n| n.errors().iter().map(|(row, _)| *row)).collect()
}

fn raw_cell(value: NumberCell, numerator: NumberCell, denominator: NumberCell) -> RawCell {
    let secret = [value, numerator].contains(&NumberCell::Secret);
    let num = |n: NumberCell| match n {
        NumberCell::Number(v) => Some(v),
        _ => None,
    };
    RawCell {
        value: if secret { None } else { num(value) },
        numerator: if secret { None } else { num(numerator) },
        denominator: num(denominator),
        source_secret: secret,
        computed: false,
        missing_members: 0,
        suppressed: false,
    }
}
