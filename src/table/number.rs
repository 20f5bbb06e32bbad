//! Numbers written the French or the international way (`12 345,6`, `3.5`, `1e3`) and the markers
//! statistical sources put in their place (`nd`, `N/A - secret statistique`, `s`). One cell at a
//! time: the typed readers ([`super::typed`]) let polars parse the plain numbers of a column and
//! come here only for the cells it could not read, so both agree on every spelling.
//!
//! Depends on nothing else in the crate.

/// Longest piece of a cell quoted back in a number error; a whole paragraph helps nobody.
const MAX_QUOTED_CHARS: usize = 60;

/// A parsed numeric cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberCell {
    /// A finite number.
    Number(f64),
    /// No value: empty cell or a "not available" marker.
    Missing,
    /// A value withheld by statistical secrecy.
    Secret,
}

/// Why a cell is not a number. Messages quote what was read and say what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// Not a number in any accepted spelling.
    #[error("« \"{text}\" n'est pas un nombre » : attendu par exemple 12, -3,5, 1 234,5 ou 1e3")]
    NotANumber {
        /// The text read, trimmed and shortened.
        text: String,
    },
    /// A percentage sign; the unit belongs to the indicator, not to the cell.
    #[error("« \"{text}\" » contient un signe % : attendu un nombre sans unité (12,5 et non 12,5 %)")]
    Percent {
        /// The text read, trimmed and shortened.
        text: String,
    },
    /// Both a dot and a comma: one of them would be a thousands separator, and which one is
    /// ambiguous.
    #[error("« \"{text}\" » mélange point et virgule : séparateur des milliers ambigu, attendu 1234,5 ou 1 234,5")]
    AmbiguousSeparators {
        /// The text read, trimmed and shortened.
        text: String,
    },
    /// Too large to be represented.
    #[error("« \"{text}\" » est trop grand : attendu un nombre inférieur à 1e308")]
    OutOfRange {
        /// The text read, trimmed and shortened.
        text: String,
    },
}

/// Parses a number written the French or the international way.
///
/// Accepted numbers: an optional sign (`+`, `-` or the typographic minus `−`), digits, one
/// optional decimal mark (`,` or `.`), an optional exponent (`1e3`, `2,5E-2`), surrounding
/// spaces. The integer part may be grouped by thousands with a space, a no-break space (U+00A0),
/// a narrow no-break space (U+202F) or a thin space (U+2009), in groups of exactly three digits:
/// `12 345,6`.
///
/// Choices, since French files disagree with international ones:
/// * a single comma is always the decimal mark: `1,234` is 1.234, never 1234 (French files
///   never use the comma for thousands);
/// * a single dot is the decimal mark too: `1.234` is 1.234;
/// * a dot and a comma together (`1.234,5`, `1,234.5`) and repeated marks (`1.234.567`) are
///   rejected: the thousands separator would be a guess;
/// * a trailing `%` is rejected rather than silently dropped;
/// * `inf`, `NaN` and numbers too large for `f64` are rejected.
///
/// Markers, compared without regard to case and surrounding spaces:
/// * [`NumberCell::Missing`]: empty, `NA`, `N/A`, `nd`, `n.d.`, `n.d`, `nc`, `ns`, `-`, `−`,
///   `..`, `non disponible`, `non communiqué`, `non significatif`, and any `N/A - …` text not
///   mentioning secrecy (Insee writes `N/A - résultat non disponible`, `N/A - division par 0`);
/// * [`NumberCell::Secret`]: `s`, `secret`, `secret statistique`, `c`, `confidentiel`, and any
///   `N/A - …` text mentioning `secret` (Insee's `N/A - secret statistique`). `c` follows the
///   Eurostat and DREES convention "c = confidentiel"; Insee uses `s`.
pub fn parse_number(text: &str) -> Result<NumberCell, NumberError> {
    let trimmed = text.trim();
    if let Some(marker) = marker(trimmed) {
        return Ok(marker);
    }
    if trimmed.ends_with('%') {
        return Err(NumberError::Percent { text: shorten(trimmed) });
    }
    let not_a_number = || NumberError::NotANumber { text: shorten(trimmed) };
    let (negative, body) = if let Some(rest) = trimmed.strip_prefix('+') {
        (false, rest)
    } else if let Some(rest) = trimmed.strip_prefix('-').or_else(|| trimmed.strip_prefix('\u{2212}')) {
        (true, rest)
    } else {
        (false, trimmed)
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let dots = mantissa.matches('.').count();
    let commas = mantissa.matches(',').count();
    if dots > 0 && commas > 0 {
        return Err(NumberError::AmbiguousSeparators { text: shorten(trimmed) });
    }
    if dots + commas > 1 {
        return Err(not_a_number());
    }
    let (integer, fraction) = match mantissa.find(['.', ',']) {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, ""),
    };
    let integer = ungroup(integer).ok_or_else(not_a_number)?;
    if !fraction.bytes().all(|b| b.is_ascii_digit()) || (integer.is_empty() && fraction.is_empty()) {
        return Err(not_a_number());
    }
    let mut normalized = String::with_capacity(trimmed.len() + 2);
    if negative {
        normalized.push('-');
    }
    normalized.push_str(if integer.is_empty() { "0" } else { &integer });
    if !fraction.is_empty() {
        normalized.push('.');
        normalized.push_str(fraction);
    }
    if let Some(exponent) = exponent {
        let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(not_a_number());
        }
        normalized.push('e');
        normalized.push_str(exponent);
    }
    let value: f64 = normalized.parse().map_err(|_| not_a_number())?;
    if value.is_finite() {
        Ok(NumberCell::Number(value))
    } else {
        Err(NumberError::OutOfRange { text: shorten(trimmed) })
    }
}

/// The integer part without its thousands separators, or `None` when grouping is not by three.
fn ungroup(integer: &str) -> Option<String> {
    let is_group_separator = |c: char| matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}');
    let groups: Vec<&str> = integer.split(is_group_separator).collect();
    if !groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    if groups.len() > 1 {
        let first_ok = (1..=3).contains(&groups[0].len());
        let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
        if !first_ok || !rest_ok {
            return None;
        }
    }
    Some(groups.concat())
}

fn marker(trimmed: &str) -> Option<NumberCell> {
    let lower = trimmed.to_lowercase();
    match lower.as_str() {
        "" | "na" | "n/a" | "nd" | "n.d." | "n.d" | "nc" | "ns" | "-" | "\u{2212}" | ".." | "non disponible"
        | "non communiqué" | "non significatif" => Some(NumberCell::Missing),
        "s" | "secret" | "secret statistique" | "c" | "confidentiel" => Some(NumberCell::Secret),
        _ => {
            let rest = lower.strip_prefix("n/a")?.trim_start();
            let rest = rest.strip_prefix('-').or_else(|| rest.strip_prefix('\u{2013}'))?;
            if rest.contains("secret") { Some(NumberCell::Secret) } else { Some(NumberCell::Missing) }
        }
    }
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_QUOTED_CHARS) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> f64 {
        match parse_number(text) {
            Ok(NumberCell::Number(v)) => v,
            other => panic!("{text:?} gave {other:?}"),
        }
    }

    #[test]
    fn numbers_in_french_and_international_spellings() {
        assert!((number("12") - 12.0).abs() < 1e-12);
        assert!((number("-3.5") + 3.5).abs() < 1e-12);
        assert!((number("3,5") - 3.5).abs() < 1e-12);
        assert!((number("12 345,6") - 12_345.6).abs() < 1e-9);
        assert!((number("12\u{a0}345,6") - 12_345.6).abs() < 1e-9);
        assert!((number("1\u{202f}234\u{202f}567") - 1_234_567.0).abs() < 1e-9);
        assert!((number("1e3") - 1000.0).abs() < 1e-12);
        assert!((number("2,5E-2") - 0.025).abs() < 1e-12);
        assert!((number("+7") - 7.0).abs() < 1e-12);
        assert!((number("  42,0  ") - 42.0).abs() < 1e-12);
        assert!((number("\u{2212}4") + 4.0).abs() < 1e-12);
        assert!((number(",5") - 0.5).abs() < 1e-12);
        assert!((number("02001") - 2001.0).abs() < 1e-12);
    }

    #[test]
    fn single_comma_is_always_decimal() {
        // French files never group thousands with a comma, so three decimals stay decimals.
        assert!((number("1,234") - 1.234).abs() < 1e-12);
        assert!((number("1.234") - 1.234).abs() < 1e-12);
    }

    #[test]
    fn ambiguous_and_malformed_numbers_are_errors() {
        for text in ["1.234,5", "1,234.5"] {
            assert!(matches!(parse_number(text), Err(NumberError::AmbiguousSeparators { .. })), "{text}");
        }
        for text in
            ["12,3,4", "1.234.567", "abc", "12 34", "1 2345", "1e", "e3", "12a", "inf", "NaN", "--1", "1 234 ,5", "."]
        {
            assert!(matches!(parse_number(text), Err(NumberError::NotANumber { .. })), "{text}");
        }
        assert!(matches!(parse_number("1e999"), Err(NumberError::OutOfRange { .. })));
        let err = parse_number("12,3,4").unwrap_err();
        assert!(err.to_string().starts_with("« \"12,3,4\" n'est pas un nombre »"), "{err}");
    }

    #[test]
    fn percent_sign_is_rejected() {
        let err = parse_number("12,5 %").unwrap_err();
        assert!(matches!(err, NumberError::Percent { .. }));
        assert!(err.to_string().contains("12,5 %"), "{err}");
        assert!(parse_number("12%").is_err());
    }

    #[test]
    fn missing_markers() {
        for text in [
            "",
            "  ",
            "NA",
            "na",
            "N/A",
            "nd",
            "ND",
            "n.d.",
            "-",
            "..",
            "N/A - résultat non disponible",
            "non disponible",
            "ns",
            "N/A - division par 0",
        ] {
            assert_eq!(parse_number(text), Ok(NumberCell::Missing), "{text:?}");
        }
    }

    #[test]
    fn secret_markers() {
        for text in ["s", "S", "secret", "Secret statistique", "N/A - secret statistique", "c", "confidentiel"] {
            assert_eq!(parse_number(text), Ok(NumberCell::Secret), "{text:?}");
        }
    }

    #[test]
    fn long_text_is_shortened_in_errors() {
        let long = "x".repeat(500);
        let err = parse_number(&long).unwrap_err();
        assert!(err.to_string().len() < 200, "{err}");
    }
}
