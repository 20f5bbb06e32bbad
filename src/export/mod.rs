//! Exporters: every file format is written from a [`crate::figure::Figure`] (SVG, then PNG and PDF
//! rendered from that SVG) or from a table (CSV). Nothing here knows about packs or territories.

pub mod csv;
pub mod files;
pub mod render;
pub mod svg;
