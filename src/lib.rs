//! Indicarto: territorial health and social observation.
//!
//! This library is the application's pure core: territories and their boundaries, indicator packs,
//! aggregation across levels and statistical secrecy. It compiles without any windowing code; the
//! desktop front end lives in the binary behind the `gui` feature and only calls into this crate.
//!
//! Data flow: boundary files → [`boundary::Layer`] → [`territory::TerritorySet`];
//! pack folder → [`pack::Pack`] (manifest + data) → [`aggregate::Store`] → [`value::Value`]s by
//! indicator, territory and year, secret values already masked.

pub mod aggregate;
pub mod batch;
pub mod boundary;
pub mod chart;
pub mod classify;
pub mod code;
pub mod diagnostics;
pub mod export;
pub mod figure;
/// The desktop window (egui), only with the `gui` feature; nothing else in the library uses it.
#[cfg(feature = "gui")]
pub mod gui;
pub mod indicator;
pub mod map;
pub mod pack;
pub mod palette;
pub mod parallel;
pub mod portrait;
pub mod quickmap;
pub mod table;
pub mod territory;
pub mod text;
pub mod unzip;
pub mod value;
