//! Indicarto: territorial health and social observation.
//!
//! This library is the whole application but its command line: the pure core (territories and
//! their boundaries, indicator packs, aggregation across levels and statistical secrecy,
//! classification, the figure model, charts, maps, portraits, exports), and the desktop window in
//! [`gui`], compiled only with the default `gui` feature. The core compiles and is tested without
//! it (`cargo test --no-default-features --lib`); nothing outside `gui` depends on it. The binary
//! (`src/main.rs`, `src/cli/`) is the command line and starts the window.
//!
//! Data flow: boundary files → [`boundary::Layer`] → [`territory::TerritorySet`];
//! pack folder → [`pack::Pack`] (manifest + data) → [`aggregate::Store`] → [`value::Value`]s by
//! indicator, territory and year, secret values already masked → [`portrait::build_portrait`] →
//! [`portrait::Illustration`]s (a [`figure::Figure`] each) → [`portrait::write_portrait`] (files)
//! or the window.

// Test fixtures write their input files directly; only the library itself, checked by clippy
// without `cfg(test)`, is held to `export::files` (clippy.toml, `disallowed-methods`).
#![cfg_attr(
    test,
    allow(
        clippy::disallowed_methods,
        reason = "test fixtures write their inputs; the library is checked without cfg(test)"
    )
)]

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
pub mod stats;
pub mod table;
pub mod territory;
pub mod text;
pub mod unzip;
pub mod value;
