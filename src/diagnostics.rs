//! Structured warnings: partial problems that do not stop a load (codes that match no territory,
//! duplicates, territories without data, aggregates over incomplete coverage). The UI lists them;
//! the command line prints them on stderr. Errors that stop a load are each module's error enum.

use std::fmt;
use std::path::PathBuf;

use crate::code::{IndicatorId, Level, TerritoryCode};
use crate::text::format_fr;

/// A partial problem found while loading or joining data.
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// Codes in a data file that match no territory of the level.
    UnknownCodes {
        /// The data file.
        file: PathBuf,
        /// The level the rows were declared at.
        level: Level,
        /// The codes (sorted, at most a few dozen kept) and their count.
        codes: Vec<TerritoryCode>,
        /// How many distinct codes in all.
        count: usize,
        /// Of those, how many look like codes of another COG vintage (absorbed or renamed communes).
        other_vintage: Vec<TerritoryCode>,
    },
    /// Territories of a level for which the file has no row at all.
    TerritoriesWithoutData {
        /// The data file.
        file: PathBuf,
        /// The level.
        level: Level,
        /// How many territories.
        count: usize,
        /// A few of them, sorted.
        examples: Vec<TerritoryCode>,
    },
    /// The same indicator, code and year given more than once; the first row was kept.
    Duplicate {
        /// The data file.
        file: PathBuf,
        /// 1-based line of the repeated row.
        line: usize,
        /// Indicator.
        indicator: IndicatorId,
        /// Code.
        code: TerritoryCode,
        /// Year.
        year: i32,
    },
    /// A territory whose members in the loaded finer layer do not cover it: aggregates computed from
    /// those members are partial (for example an EPCI reaching into a region that is not loaded).
    PartialCoverage {
        /// Level of the territory.
        level: Level,
        /// The territory.
        code: TerritoryCode,
        /// Its name.
        name: String,
        /// Level of the members.
        member_level: Level,
        /// Share of the territory's area covered by the loaded members, 0–1.
        covered_share: f64,
    },
    /// A value given by the pack differs from the value computed from finer levels.
    AggregateMismatch {
        /// Indicator.
        indicator: IndicatorId,
        /// Level.
        level: Level,
        /// Territory.
        code: TerritoryCode,
        /// Year.
        year: i32,
        /// Relative difference, as a fraction.
        relative_difference: f64,
    },
    /// Anything else worth telling, already phrased.
    Other(String),
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::UnknownCodes { file, level, codes, count, other_vintage } => {
                write!(
                    f,
                    "{} : {count} code(s) sans territoire au niveau {level} ({})",
                    file.display(),
                    join_codes(codes)
                )?;
                if !other_vintage.is_empty() {
                    write!(
                        f,
                        " ; {} ressemblent à des codes d'un autre millésime du COG ({})",
                        other_vintage.len(),
                        join_codes(other_vintage)
                    )?;
                }
                Ok(())
            }
            Warning::TerritoriesWithoutData { file, level, count, examples } => write!(
                f,
                "{} : {count} territoire(s) de niveau {level} sans aucune donnée (par exemple {})",
                file.display(),
                join_codes(examples)
            ),
            Warning::Duplicate { file, line, indicator, code, year } => write!(
                f,
                "{}, ligne {line} : doublon pour l'indicateur {indicator}, le code {code} et l'année {year} (la première ligne est gardée)",
                file.display()
            ),
            Warning::PartialCoverage { level, code, name, member_level, covered_share } => write!(
                f,
                "{name} ({code}, {level}) : ses membres de niveau {member_level} chargés ne couvrent que {} % de sa surface ; les valeurs calculées pour ce territoire sont partielles",
                format_fr(covered_share * 100.0, 0)
            ),
            Warning::AggregateMismatch { indicator, level, code, year, relative_difference } => write!(
                f,
                "{indicator}, {level} {code}, {year} : la valeur fournie diffère de {} % de la valeur agrégée depuis les niveaux fins",
                format_fr(relative_difference * 100.0, 2)
            ),
            Warning::Other(message) => f.write_str(message),
        }
    }
}

fn join_codes(codes: &[TerritoryCode]) -> String {
    const SHOWN: usize = 10;
    let mut s = codes.iter().take(SHOWN).map(TerritoryCode::as_str).collect::<Vec<_>>().join(", ");
    if codes.len() > SHOWN {
        s.push_str(", …");
    }
    s
}
