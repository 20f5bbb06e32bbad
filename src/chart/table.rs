//! The key-figures table as a figure: wrapped text columns, right-aligned values, the territory's
//! column on a tinted band, « s » and « nd » explained under it.

use super::{CELLS_LAYER, GRID_LAYER, LEGEND_LAYER, MAX_DECIMALS, SOURCES_LAYER, TITLE_LAYER, finite, no_data};
use crate::figure::page::{
    MARGIN_MM, PAGE_WIDTH_MM, Sheet, header, legend_flow, marker_items, notes_block, sources_block,
};
use crate::figure::style::{
    AXIS_COLOR, Font, GRID_COLOR, HIGHLIGHT_BACKGROUND, INK, LABEL_FONT, MUTED, NOTE_FONT, TERRITORY_COLOR,
};
use crate::figure::{Anchor, Figure, Stroke, Style};
use crate::text::{Lang, format_number};
use crate::value::Value;

/// A table as a figure (the key-figures table).
#[derive(Debug, Clone, PartialEq)]
pub struct TableFigure {
    /// Title.
    pub title: String,
    /// Column headers, e.g. `["Indicateur", "Unité", "Année", "Amiens", "Somme", "Hauts-de-France", "France"]`.
    pub columns: Vec<String>,
    /// Rows of cells, in the order of `columns`.
    pub rows: Vec<Vec<TableCell>>,
    /// The "Source : …" block.
    pub source: String,
    /// The territory's column, emphasised.
    pub highlight_column: Option<usize>,
    /// Language of the table's own texts (legend, layer labels) and of its numbers.
    pub lang: Lang,
}

/// One cell of a [`TableFigure`].
#[derive(Debug, Clone, PartialEq)]
pub enum TableCell {
    /// Text, wrapped in its column.
    Text(String),
    /// A value, right-aligned, « s » when secret and « nd » when missing.
    Value {
        /// The value.
        value: Value,
        /// Decimals written.
        decimals: usize,
    },
}

const CELL_PAD_MM: f64 = 1.5;
const CELL_VPAD_MM: f64 = 1.1;
/// The first column (indicator names) never gets narrower than this; the page widens instead.
const FIRST_COLUMN_MIN_MM: f64 = 40.0;

/// How a column's cells are aligned.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Align {
    Left,
    Centre,
    Right,
}

fn cell_text(cell: &TableCell, lang: Lang) -> String {
    match cell {
        TableCell::Text(text) => text.clone(),
        TableCell::Value { value, decimals } => match finite(*value) {
            Value::Available(v) => format_number(v, (*decimals).min(MAX_DECIMALS), lang),
            other => other.marker().unwrap_or_default().to_owned(),
        },
    }
}

/// A table as a figure (the key-figures table): a header row, then the rows; the first column is
/// left-aligned wrapped text, value columns are right-aligned, other text columns (unit, year)
/// centred; the highlighted column sits on a tinted band in bold; secret cells read « s », missing
/// ones « nd ». The page widens when the columns cannot fit 160 mm. Layers: `title`, `gridlines`,
/// `cells`, `legend`, `sources`.
#[must_use]
pub fn table_figure(table: &TableFigure) -> Figure {
    let lang = table.lang;
    let grid = Grid::new(table);
    let (left, width) = (MARGIN_MM, grid.page_width - 2.0 * MARGIN_MM);
    let layers = [TITLE_LAYER, GRID_LAYER, CELLS_LAYER, LEGEND_LAYER, SOURCES_LAYER];
    let mut sheet = Sheet::new(&table.title, grid.page_width, &layers, lang);
    let mut y = header(&mut sheet, &table.title, "", left, width) + 3.0;
    if grid.columns == 0 {
        sheet.text(CELLS_LAYER.0, left, NOTE_FONT.baseline(y), no_data(lang), NOTE_FONT, Anchor::Start);
        y += NOTE_FONT.line_height() + 2.0;
        let height = sources_block(&mut sheet, &table.source, left, width, y);
        return sheet.finish(height);
    }
    let table_top = y;
    // Texts go on the layer after the band behind the territory's column, which needs the height.
    let mut texts = Vec::new();
    y = grid.header_row(table, table_top, &mut texts);
    sheet.line(GRID_LAYER.0, vec![[left, y], [left + width, y]], Stroke::new(AXIS_COLOR, 0.3), None);
    let (mut has_secret, mut has_missing) = (false, false);
    for (r, row) in table.rows.iter().enumerate() {
        let values = row.iter().filter_map(|cell| match cell {
            TableCell::Value { value, .. } => Some(finite(*value)),
            TableCell::Text(_) => None,
        });
        for value in values {
            has_secret |= value == Value::Secret;
            has_missing |= value == Value::Missing;
        }
        y += grid.body_row(row, &grid.texts[r], y, &mut texts);
        let last = r + 1 == table.rows.len();
        let stroke = if last { Stroke::new(AXIS_COLOR, 0.3) } else { Stroke::new(GRID_COLOR, 0.2) };
        sheet.line(GRID_LAYER.0, vec![[left, y], [left + width, y]], stroke, None);
    }
    if let Some(c) = table.highlight_column.filter(|c| *c < grid.columns) {
        let band = [grid.starts[c], table_top, grid.widths[c], y - table_top];
        sheet.rect(CELLS_LAYER.0, band, Style::fill(HIGHLIGHT_BACKGROUND), None);
    }
    for (x, baseline, line, font, anchor) in texts {
        sheet.text(CELLS_LAYER.0, x, baseline, &line, font, anchor);
    }
    if table.rows.is_empty() {
        y = notes_block(&mut sheet, CELLS_LAYER.0, &[no_data(lang).to_owned()], left, width, y + 1.0);
    }
    y = legend_flow(&mut sheet, &marker_items(has_secret, has_missing, lang), left, width, y + 2.0);
    let height = sources_block(&mut sheet, &table.source, left, width, y);
    sheet.finish(height)
}

/// A line of text to draw in a cell: x, baseline, text, style, anchor.
type CellText = (f64, f64, String, Font, Anchor);

/// The columns: their texts, alignment, widths and left edges, and the page they need.
struct Grid {
    columns: usize,
    /// Every cell as written, rows by columns (empty for a short row).
    texts: Vec<Vec<String>>,
    aligns: Vec<Align>,
    widths: Vec<f64>,
    starts: Vec<f64>,
    highlight: Option<usize>,
    page_width: f64,
}

impl Grid {
    /// Value and short text columns fit their content, headers wrap above a minimum; the first
    /// column takes what is left.
    fn new(table: &TableFigure) -> Grid {
        let columns = table.rows.iter().map(Vec::len).chain([table.columns.len()]).max().unwrap_or(0);
        let texts: Vec<Vec<String>> = table
            .rows
            .iter()
            .map(|row| {
                (0..columns).map(|c| row.get(c).map(|cell| cell_text(cell, table.lang)).unwrap_or_default()).collect()
            })
            .collect();
        let is_value = |c: usize| table.rows.iter().any(|row| matches!(row.get(c), Some(TableCell::Value { .. })));
        let aligns: Vec<Align> = (0..columns)
            .map(|c| match c {
                0 => Align::Left,
                c if is_value(c) => Align::Right,
                _ => Align::Centre,
            })
            .collect();
        let mut grid = Grid {
            columns,
            texts,
            aligns,
            widths: Vec::new(),
            starts: Vec::new(),
            highlight: table.highlight_column,
            page_width: PAGE_WIDTH_MM,
        };
        let natural: Vec<f64> = (0..columns)
            .map(|c| {
                let font = grid.font(c);
                let content = grid.texts.iter().map(|row| font.width(&row[c]).min(30.0)).fold(0.0, f64::max);
                let header = table.columns.get(c).map_or(0.0, |h| LABEL_FONT.bold().width(h));
                content.max(header.min(content.max(17.0))) + 2.0 * CELL_PAD_MM
            })
            .collect();
        let others: f64 = natural.iter().skip(1).sum();
        grid.page_width = PAGE_WIDTH_MM.max(2.0 * MARGIN_MM + others + FIRST_COLUMN_MIN_MM);
        let width = grid.page_width - 2.0 * MARGIN_MM;
        grid.widths = natural;
        if let Some(first) = grid.widths.first_mut() {
            *first = if columns == 1 { width } else { width - others };
        }
        grid.starts = grid
            .widths
            .iter()
            .scan(MARGIN_MM, |x, w| {
                let start = *x;
                *x += w;
                Some(start)
            })
            .collect();
        grid
    }

    /// The territory's column in bold.
    fn font(&self, c: usize) -> Font {
        if self.highlight == Some(c) { LABEL_FONT.bold() } else { LABEL_FONT }
    }

    /// Where the texts of column `c` are anchored.
    fn anchor(&self, c: usize) -> (f64, Anchor) {
        match self.aligns[c] {
            Align::Left => (self.starts[c] + CELL_PAD_MM, Anchor::Start),
            Align::Centre => (self.starts[c] + self.widths[c] / 2.0, Anchor::Middle),
            Align::Right => (self.starts[c] + self.widths[c] - CELL_PAD_MM, Anchor::End),
        }
    }

    /// The headers, wrapped in their columns; returns the y under the header row.
    fn header_row(&self, table: &TableFigure, top: f64, texts: &mut Vec<CellText>) -> f64 {
        let font = LABEL_FONT.bold();
        let lines: Vec<Vec<String>> = (0..self.columns)
            .map(|c| table.columns.get(c).map(|h| font.wrap(h, self.widths[c] - 2.0 * CELL_PAD_MM)).unwrap_or_default())
            .collect();
        let rows = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
        for (c, lines) in lines.iter().enumerate() {
            let (x, anchor) = self.anchor(c);
            let color = if self.highlight == Some(c) { TERRITORY_COLOR } else { INK };
            // Headers sit on the rule under them, so short ones align with the last line of long ones.
            let first_top = top + CELL_VPAD_MM + (rows - lines.len()) as f64 * font.line_height();
            for (j, line) in lines.iter().enumerate() {
                let baseline = font.baseline(first_top + j as f64 * font.line_height());
                texts.push((x, baseline, line.clone(), font.colored(color), anchor));
            }
        }
        top + rows as f64 * font.line_height() + 2.0 * CELL_VPAD_MM
    }

    /// A row of cells from `top`, text wrapped in its column and values on one line, each block
    /// centred in the row; returns the row's height.
    fn body_row(&self, row: &[TableCell], written: &[String], top: f64, texts: &mut Vec<CellText>) -> f64 {
        let line_height = LABEL_FONT.line_height();
        let lines: Vec<Vec<String>> = (0..self.columns)
            .map(|c| match row.get(c) {
                Some(TableCell::Value { .. }) => vec![written[c].clone()],
                _ => self.font(c).wrap(&written[c], self.widths[c] - 2.0 * CELL_PAD_MM),
            })
            .collect();
        let count = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let row_height = count as f64 * line_height + 2.0 * CELL_VPAD_MM;
        for (c, cell_lines) in lines.iter().enumerate() {
            let (x, anchor) = self.anchor(c);
            let without_number = match row.get(c) {
                Some(TableCell::Value { value, .. }) => finite(*value).number().is_none(),
                _ => false,
            };
            let font = if without_number { self.font(c).colored(MUTED) } else { self.font(c) };
            let first_top = top + (row_height - cell_lines.len() as f64 * line_height) / 2.0;
            for (j, line) in cell_lines.iter().enumerate() {
                texts.push((x, font.baseline(first_top + j as f64 * line_height), line.clone(), font, anchor));
            }
        }
        row_height
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::figure::Mark;

    const TABLE_LAYERS: [&str; 5] = ["title", "gridlines", "cells", "legend", "sources"];

    #[test]
    fn table_aligns_values_right_and_emphasises_the_territory() {
        let table = key_table();
        let figure = table_figure(&table);
        assert_eq!(layer_ids(&figure), TABLE_LAYERS);
        let cells = texts_in(&figure, "cells");
        let find = |s: &str| cells.iter().find(|t| t.2 == s).unwrap_or_else(|| panic!("{s} in {cells:?}"));
        assert_eq!(find("Population municipale").4, Anchor::Start);
        assert_eq!(find("2\u{202f}708,1").4, Anchor::End);
        assert_eq!(find("67\u{202f}407\u{202f}241").4, Anchor::End);
        assert_eq!(find("hab./km²").4, Anchor::Middle);
        assert_eq!(find("s").4, Anchor::End);
        assert_eq!(find("nd").4, Anchor::End);
        // The territory's column: a tinted band behind it, bold text in the territory colour on top.
        let band = rects(&figure, "cells");
        assert_eq!(band.len(), 1);
        let amiens = find("Amiens");
        assert!(amiens.0 > band[0].0 && amiens.0 <= band[0].0 + band[0].2);
        let header_bold = layer(&figure, "cells").iter().any(|m| {
            matches!(m, Mark::Text { text, bold: true, color, .. } if text == "Amiens" && *color == TERRITORY_COLOR)
        });
        assert!(header_bold);
        // Values of a column share their right edge.
        let right_edge = find("133\u{202f}625").0;
        assert!((find("2\u{202f}708,1").0 - right_edge).abs() < 1e-9);
        assert!(texts(&figure).contains(&"s : secret statistique"));
        assert_sane(&figure);
    }

    #[test]
    fn table_widens_the_page_rather_than_crush_columns() {
        let mut table = key_table();
        for i in 0..6 {
            table.columns.push(format!("Zone de comparaison {i}"));
            for row in &mut table.rows {
                row.push(TableCell::Value { value: Value::Available(123_456.7), decimals: 1 });
            }
        }
        let figure = table_figure(&table);
        assert!(figure.width_mm > PAGE_WIDTH_MM);
        assert_sane(&figure);
    }
}
