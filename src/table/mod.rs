//! Tabular input: the French-aware CSV reader and Parquet, producing string columns that the pack loader
//! interprets. Owns encodings, separators, title lines and number formats; knows nothing of indicators.

pub mod csv;
