//! The pack manifest (`pack.toml`): what each indicator is, how it aggregates and is kept secret,
//! where its data lies, and which portrait templates the pack offers. Parsed strictly: an unknown
//! key is an error with its line, so a typo never silently drops a setting. Documented for pack
//! authors in `docs/pack-format.md`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::indicator::Polarity;
use crate::territory::LayerSpec;

/// The whole manifest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Identity of the pack.
    pub pack: PackInfo,
    /// Data sources, referred to by indicators.
    #[serde(default)]
    pub sources: Vec<SourceDef>,
    /// Boundary layers, one per level.
    #[serde(default)]
    pub boundaries: Vec<LayerSpec>,
    /// Custom zonings.
    #[serde(default)]
    pub zonings: Vec<ZoningDef>,
    /// Indicators, each once (`[[indicators]]`).
    pub indicators: Vec<IndicatorDef>,
    /// Data files.
    #[serde(default)]
    pub data: Vec<DataDef>,
    /// Portrait templates ("projets").
    #[serde(default)]
    pub templates: Vec<TemplateDef>,
}

/// Identity of the pack.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackInfo {
    /// Short machine id.
    pub id: String,
    /// Title shown to users.
    pub title: String,
    /// What the pack holds.
    #[serde(default)]
    pub description: String,
    /// Attribution printed under every figure (data and boundaries).
    #[serde(default)]
    pub attribution: String,
    /// Version of the pack format; 1.
    #[serde(default = "one")]
    pub format: u32,
    /// Optional file mapping old commune codes to current ones (columns `ancien_code`,
    /// `nouveau_code`), used to recognise codes of another COG vintage in data files.
    #[serde(default)]
    pub cog_history: Option<PathBuf>,
}

fn one() -> u32 {
    1
}

/// A data source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceDef {
    /// Id used by indicators.
    pub id: String,
    /// Citation, as printed in source blocks.
    pub label: String,
    /// Licence of the data.
    #[serde(default)]
    pub licence: String,
    /// Where to find it.
    #[serde(default)]
    pub url: String,
}

/// How values combine across territories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AggregationDef {
    /// Counts: the sum of the members.
    Sum,
    /// Rates: summed numerator over summed denominator, times `scale`.
    Rate,
    /// Means: weighted by the denominator (weight) column.
    WeightedMean,
    /// Not aggregable: only the values the data gives.
    None,
}

/// Statistical secrecy rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecrecyDef {
    /// Values whose numerator (the count itself for counts) is at least 1 and below this are
    /// masked. Default 11.
    #[serde(default = "eleven")]
    pub min_numerator: u32,
    /// Secondary secrecy: also mask complementary cells so that no masked value can be recovered
    /// by differencing published totals. For `sum` and `rate` indicators.
    #[serde(default)]
    pub secondary: bool,
}

fn eleven() -> u32 {
    11
}

/// A computed indicator: exactly one of `ratio`, `difference`, `change`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeriveDef {
    /// `[numerator, denominator]`: numerator / denominator × scale.
    #[serde(default)]
    pub ratio: Option<[String; 2]>,
    /// `[a, b]`: a − b.
    #[serde(default)]
    pub difference: Option<[String; 2]>,
    /// An indicator whose change in percent since `from` this is.
    #[serde(default)]
    pub change: Option<String>,
    /// The base year of a change.
    #[serde(default)]
    pub from: Option<i32>,
}

/// One indicator.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDef {
    /// Id, unique in the pack.
    pub id: String,
    /// Its label, as figures print it.
    pub label: String,
    /// Definition, shown on demand.
    #[serde(default)]
    pub definition: String,
    /// Unit (`habitants`, `%`, `pour 100 000 habitants`).
    #[serde(default)]
    pub unit: String,
    /// A source id from `[[sources]]`, or a citation.
    #[serde(default)]
    pub source: String,
    /// Theme (`socio-démographie`, `offre de soins`, `état de santé`…).
    #[serde(default)]
    pub theme: String,
    /// Years offered; taken from the data when empty.
    #[serde(default)]
    pub years: Vec<i32>,
    /// Decimals shown.
    #[serde(default = "one_u8")]
    pub decimals: u8,
    /// How it aggregates.
    pub aggregation: AggregationDef,
    /// Multiplier of rates and ratios (100 for a percentage, 100 000 for a rate per 100 000).
    #[serde(default)]
    pub scale: Option<f64>,
    /// Whether more is better.
    #[serde(default)]
    pub polarity: Polarity,
    /// Secrecy rule, if any.
    #[serde(default)]
    pub secrecy: Option<SecrecyDef>,
    /// The value does not change with the year (an area): its single year answers for every year.
    #[serde(default)]
    pub timeless: bool,
    /// Computed from other indicators instead of read from data.
    #[serde(default)]
    pub derive: Option<DeriveDef>,
}

fn one_u8() -> u8 {
    1
}

/// Layout of a data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// One row per indicator, territory and year.
    Long,
    /// One row per territory, one column per indicator and year (Insee layout).
    Wide,
}

/// A data file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataDef {
    /// The file, relative to the manifest (`.csv`, `.txt`, `.parquet`).
    pub file: PathBuf,
    /// Long or wide.
    pub layout: Layout,
    /// Level of every row, when the file has no level column.
    #[serde(default)]
    pub level: Option<String>,
    /// Column holding the level of each row (long files).
    #[serde(default)]
    pub level_column: Option<String>,
    /// Column holding the territory code. Default `code`, or `CODGEO` when the file has it.
    #[serde(default)]
    pub code_column: Option<String>,
    /// Long files: column of indicator ids.
    #[serde(default)]
    pub indicator_column: Option<String>,
    /// Long files: the single indicator of the file, instead of a column.
    #[serde(default)]
    pub indicator: Option<String>,
    /// Long files: renames from the file's indicator names to manifest ids.
    #[serde(default)]
    pub indicator_names: BTreeMap<String, String>,
    /// Long files: an indicator id built from several columns, such as `pop_{sexe}_{age}`.
    #[serde(default)]
    pub indicator_template: Option<String>,
    /// Only rows whose columns hold these values are read (`filter = { sexe = "T" }`).
    #[serde(default)]
    pub filter: BTreeMap<String, String>,
    /// Column of the year of each row (long files, and wide files with one row per year).
    #[serde(default)]
    pub year_column: Option<String>,
    /// The year of every row, when the file has no year column.
    #[serde(default)]
    pub year: Option<i32>,
    /// Long files: value column.
    #[serde(default)]
    pub value_column: Option<String>,
    /// Long files: numerator column.
    #[serde(default)]
    pub numerator_column: Option<String>,
    /// Long files: denominator (or weight) column.
    #[serde(default)]
    pub denominator_column: Option<String>,
    /// Wide files: which column holds what.
    #[serde(default)]
    pub columns: Vec<ColumnDef>,
    /// Field separator, when sniffing is not wanted (`";"`, `","`, `"\t"`).
    #[serde(default)]
    pub separator: Option<String>,
    /// Text encoding, when detection is not wanted (`utf-8`, `windows-1252`).
    #[serde(default)]
    pub encoding: Option<String>,
}

/// A column (or a family of columns, one per year) of a wide file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnDef {
    /// The column name.
    #[serde(default)]
    pub column: Option<String>,
    /// A pattern with `{year}` matching one column per year (`pmun_{year}`, `P{yy}_POP`).
    #[serde(default)]
    pub pattern: Option<String>,
    /// The indicator.
    pub indicator: String,
    /// The year of a single column.
    #[serde(default)]
    pub year: Option<i32>,
    /// Column (or pattern) of the numerator.
    #[serde(default)]
    pub numerator: Option<String>,
    /// Column (or pattern) of the denominator, or of the weight of a weighted mean.
    #[serde(default)]
    pub denominator: Option<String>,
}

/// A custom zoning: zones made of member units listed in a file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoningDef {
    /// Name, used as a level name.
    pub name: String,
    /// The CSV file: one row per member.
    pub file: PathBuf,
    /// Level of the members. Default `commune`.
    #[serde(default)]
    pub member_level: Option<String>,
    /// Column of the member codes. Default `code`.
    #[serde(default)]
    pub member_column: Option<String>,
    /// Column of the zone codes. Default `zone`.
    #[serde(default)]
    pub zone_column: Option<String>,
    /// Column of the zone names. Default `nom_zone`.
    #[serde(default)]
    pub zone_name_column: Option<String>,
}

/// The kind of a template item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// Key figures table.
    KeyFigures,
    /// Comparison bar chart.
    Bar,
    /// Evolution line chart.
    Evolution,
    /// Population pyramid.
    Pyramid,
    /// Position among the units of the level.
    Position,
    /// Thematic map.
    Map,
}

/// A portrait template ("projet") as written; [`crate::pack::template`] validates it into the
/// `Template` the portrait reads.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateDef {
    /// Its id, unique in the pack: `--template` and project files name it.
    pub id: String,
    /// Its title, shown in the window's list and at the head of the portrait PDF.
    pub title: String,
    /// What it shows.
    #[serde(default)]
    pub description: String,
    /// The representations, in order.
    pub items: Vec<ItemDef>,
}

/// One representation of a template as written (every field optional, whatever the kind); see
/// [`crate::pack::template::Item`] for what each kind takes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemDef {
    /// What to draw.
    pub kind: ItemKind,
    /// The indicators shown.
    #[serde(default)]
    pub indicators: Vec<String>,
    /// Title; the indicator's label when absent.
    #[serde(default)]
    pub title: Option<String>,
    /// Maps and position charts: the level of the units drawn.
    #[serde(default)]
    pub level: Option<String>,
    /// Pyramids: one indicator per age band for men, youngest first.
    #[serde(default)]
    pub men: Vec<String>,
    /// Pyramids: the same for women.
    #[serde(default)]
    pub women: Vec<String>,
    /// Pyramids: the band labels.
    #[serde(default)]
    pub bands: Vec<String>,
}

impl DeriveDef {
    /// The indicators this one is computed from.
    #[must_use]
    pub fn inputs(&self) -> Vec<&str> {
        let mut inputs: Vec<&str> = Vec::new();
        for pair in [&self.ratio, &self.difference].into_iter().flatten() {
            inputs.extend(pair.iter().map(String::as_str));
        }
        inputs.extend(self.change.as_deref());
        inputs
    }
}
