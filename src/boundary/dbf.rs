//! dBASE (`.dbf`) attribute tables of Shapefiles, read with every size checked against the file
//! before use, and text decoded in the right encoding.
//!
//! Encoding, in order: the `.cpg` companion file; else the language-driver byte of the header;
//! else detection (valid UTF-8, otherwise Windows-1252, a superset of Latin-1 for printable text).
//! Depends on nothing but `encoding_rs`.

use std::path::Path;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use super::BoundaryError;

/// An attribute table: field names and, per record, the values as trimmed text.
#[derive(Debug, Clone)]
pub struct DbfTable {
    /// Field names in file order.
    pub fields: Vec<String>,
    /// Records in file order, deleted records included (the `.shp` counts them too).
    pub records: Vec<Vec<Option<String>>>,
    /// How the text was decoded and why, for messages (`UTF-8 (.cpg)`).
    pub encoding: String,
    /// Non-fatal problems, each naming the file (a `.cpg` that is unreadable or contradicted by
    /// the bytes).
    pub warnings: Vec<String>,
}

struct FieldDescriptor {
    name: String,
    kind: u8,
    offset: usize,
    length: usize,
}

/// Where the encoding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EncodingSource {
    Cpg,
    LanguageDriver,
    Detected,
}

/// Reads a `.dbf` file; `cpg` is the content of the `.cpg` file when there is one.
pub fn read_dbf(path: &Path, bytes: &[u8], cpg: Option<&str>) -> Result<DbfTable, BoundaryError> {
    const HEADER_LEN: usize = 32;
    if bytes.len() < HEADER_LEN + 1 {
        return Err(BoundaryError::malformed(
            path,
            "en-tête",
            format!("fichier de {} octets, trop court pour un en-tête dBASE (33 octets au moins)", bytes.len()),
        ));
    }
    let n_records = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
    let header_size = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    let record_size = u16::from_le_bytes([bytes[10], bytes[11]]) as usize;
    let language_driver = bytes[29];
    if header_size < HEADER_LEN + 1 || header_size > bytes.len() {
        return Err(BoundaryError::malformed(
            path,
            "en-tête",
            format!(
                "taille d'en-tête déclarée {header_size} octets, incompatible avec un fichier de {} octets",
                bytes.len()
            ),
        ));
    }
    let fields = read_descriptors(path, &bytes[HEADER_LEN..header_size], record_size)?;
    let needed = n_records
        .checked_mul(record_size)
        .and_then(|n| n.checked_add(header_size))
        .ok_or_else(|| BoundaryError::malformed(path, "en-tête", "nombre d'enregistrements déclaré invraisemblable"))?;
    if needed > bytes.len() {
        let complete = (bytes.len() - header_size) / record_size.max(1);
        return Err(BoundaryError::malformed(
            path,
            "en-tête",
            format!(
                "l'en-tête annonce {n_records} enregistrements de {record_size} octets ({needed} octets en tout) mais le fichier n'en contient que {} : fichier tronqué ou en-tête faux ({complete} enregistrements complets)",
                bytes.len()
            ),
        ));
    }

    let body = &bytes[header_size..needed];
    let mut warnings = Vec::new();
    let (mut encoding, mut source) = choose_encoding(cpg, language_driver, body, &fields, record_size);
    if let Some(label) = cpg.filter(|c| encoding_from_cpg(c).is_none()) {
        warnings.push(format!(
            "{} : fichier .cpg illisible (« {} ») : encodage {} {}",
            path.display(),
            label.trim().chars().take(40).collect::<String>(),
            encoding.name(),
            if source == EncodingSource::Detected { "détecté" } else { "de l'octet de langue" }
        ));
    }
    if encoding == UTF_8
        && let Some((record, field)) = first_invalid_utf8(body, &fields, record_size)
    {
        // A `.cpg` that says UTF-8 over Windows-1252 bytes (a file re-saved by an old tool): read
        // it as Windows-1252 rather than print replacement characters, and say so.
        warnings.push(format!(
            "{} : enregistrement {record}, champ {field} : texte qui n'est pas de l'UTF-8 alors que l'encodage annoncé ({}) l'est : lu en windows-1252",
            path.display(),
            match source {
                EncodingSource::Cpg => "fichier .cpg",
                _ => "octet de langue",
            }
        ));
        encoding = WINDOWS_1252;
        source = EncodingSource::Detected;
    }
    let encoding_label = format!(
        "{} ({})",
        encoding.name(),
        match source {
            EncodingSource::Cpg => "fichier .cpg",
            EncodingSource::LanguageDriver => "octet de langue du .dbf",
            EncodingSource::Detected => "détecté",
        }
    );

    let mut records = Vec::with_capacity(n_records);
    for (index, record) in body.chunks_exact(record_size).enumerate() {
        let mut values = Vec::with_capacity(fields.len());
        for field in &fields {
            let raw = &record[field.offset..field.offset + field.length];
            let text = if field.kind == b'C' || field.kind == b'M' {
                let (decoded, _, _) = encoding.decode(raw);
                decoded.trim_end_matches(['\0', ' ']).trim_start().to_owned()
            } else {
                let s = std::str::from_utf8(raw).map_err(|_| {
                    BoundaryError::malformed(
                        path,
                        format!("enregistrement {}, champ {}", index + 1, field.name),
                        "champ numérique ou date contenant des octets non ASCII",
                    )
                })?;
                s.trim_matches(['\0', ' ']).to_owned()
            };
            values.push(if text.is_empty() || (field.kind != b'C' && text.bytes().all(|b| b == b'*')) {
                None
            } else {
                Some(text)
            });
        }
        records.push(values);
    }
    Ok(DbfTable { fields: fields.into_iter().map(|f| f.name).collect(), records, encoding: encoding_label, warnings })
}

fn read_descriptors(path: &Path, area: &[u8], record_size: usize) -> Result<Vec<FieldDescriptor>, BoundaryError> {
    const DESCRIPTOR_LEN: usize = 32;
    let mut fields = Vec::new();
    // The first byte of each record is the deletion flag.
    let mut offset = 1;
    for (i, chunk) in area.chunks(DESCRIPTOR_LEN).enumerate() {
        if chunk[0] == 0x0D {
            break;
        }
        if chunk.len() < DESCRIPTOR_LEN {
            return Err(BoundaryError::malformed(
                path,
                format!("description du champ {}", i + 1),
                "liste des champs non terminée par l'octet 0x0D",
            ));
        }
        let name_end = chunk[..11].iter().position(|&b| b == 0).unwrap_or(11);
        let name = String::from_utf8_lossy(&chunk[..name_end]).trim().to_owned();
        let kind = chunk[11];
        let length = usize::from(chunk[16]);
        if !matches!(kind, b'C' | b'N' | b'F' | b'L' | b'D' | b'M' | b'I' | b'B' | b'O' | b'@' | b'+') {
            return Err(BoundaryError::malformed(
                path,
                format!("champ {name}"),
                format!("type de champ « {} » inconnu (attendu C, N, F, L, D…)", char::from(kind).escape_default()),
            ));
        }
        fields.push(FieldDescriptor { name, kind, offset, length });
        offset += length;
    }
    if fields.is_empty() {
        return Err(BoundaryError::malformed(path, "en-tête", "aucun champ déclaré"));
    }
    if offset != record_size {
        return Err(BoundaryError::malformed(
            path,
            "en-tête",
            format!("taille d'enregistrement déclarée {record_size} octets, mais les champs en totalisent {offset}"),
        ));
    }
    Ok(fields)
}

fn choose_encoding(
    cpg: Option<&str>,
    language_driver: u8,
    body: &[u8],
    fields: &[FieldDescriptor],
    record_size: usize,
) -> (&'static Encoding, EncodingSource) {
    if let Some(encoding) = cpg.and_then(encoding_from_cpg) {
        return (encoding, EncodingSource::Cpg);
    }
    // ESRI's language-driver ids; 0 means "not set", the usual case.
    match language_driver {
        0x03 | 0x57 | 0x58 | 0x59 => return (WINDOWS_1252, EncodingSource::LanguageDriver),
        _ => {}
    }
    if first_invalid_utf8(body, fields, record_size).is_none() {
        (UTF_8, EncodingSource::Detected)
    } else {
        (WINDOWS_1252, EncodingSource::Detected)
    }
}

/// The first text value that is not valid UTF-8: its 1-based record number and field name.
fn first_invalid_utf8<'f>(body: &[u8], fields: &'f [FieldDescriptor], record_size: usize) -> Option<(usize, &'f str)> {
    body.chunks_exact(record_size.max(1)).enumerate().find_map(|(index, record)| {
        fields
            .iter()
            .filter(|f| f.kind == b'C')
            .find(|f| std::str::from_utf8(&record[f.offset..f.offset + f.length]).is_err())
            .map(|f| (index + 1, f.name.as_str()))
    })
}

/// Maps the labels found in `.cpg` files (`UTF-8`, `1252`, `ANSI 1252`, `ISO-8859-1`, `65001`…) to
/// an encoding.
fn encoding_from_cpg(text: &str) -> Option<&'static Encoding> {
    let label = text.trim().trim_start_matches('\u{feff}');
    let lower = label.to_ascii_lowercase();
    let lower = lower.strip_prefix("ansi ").unwrap_or(&lower);
    match lower {
        "65001" | "utf8" => Some(UTF_8),
        // Latin-1 text is read as Windows-1252: identical on printable characters, and files
        // labelled Latin-1 often hold Windows-1252 characters such as `œ` and `’`.
        "1252" | "cp1252" | "88591" | "8859-1" | "iso88591" | "latin1" | "latin-1" => Some(WINDOWS_1252),
        other => {
            Encoding::for_label(other.as_bytes()).map(|e| if e == encoding_rs::WINDOWS_1252 { WINDOWS_1252 } else { e })
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds a small dBASE III file with character fields, as a test fixture.
    pub(crate) fn build_dbf(fields: &[(&str, u8)], rows: &[Vec<&[u8]>], language_driver: u8) -> Vec<u8> {
        let record_size = 1 + fields.iter().map(|f| usize::from(f.1)).sum::<usize>();
        let header_size = 32 + 32 * fields.len() + 1;
        let mut out = vec![0u8; 32];
        out[0] = 0x03;
        out[4..8].copy_from_slice(&(rows.len() as u32).to_le_bytes());
        out[8..10].copy_from_slice(&(header_size as u16).to_le_bytes());
        out[10..12].copy_from_slice(&(record_size as u16).to_le_bytes());
        out[29] = language_driver;
        for (name, len) in fields {
            let mut d = [0u8; 32];
            d[..name.len()].copy_from_slice(name.as_bytes());
            d[11] = b'C';
            d[16] = *len;
            out.extend_from_slice(&d);
        }
        out.push(0x0D);
        for row in rows {
            out.push(b' ');
            for ((_, len), value) in fields.iter().zip(row) {
                let mut cell = value.to_vec();
                cell.resize(usize::from(*len), b' ');
                out.extend_from_slice(&cell);
            }
        }
        out.push(0x1A);
        out
    }

    #[test]
    fn latin1_dbf_without_cpg_reads_accents() {
        // "Zérubia" and "Cœuvres" as a Latin-1/Windows-1252 producer writes them: é = 0xE9, œ = 0x9C.
        let bytes = build_dbf(&[("NOM", 20)], &[vec![b"Z\xe9rubia"], vec![b"C\x9cuvres"]], 0);
        let table = read_dbf(Path::new("t.dbf"), &bytes, None).unwrap();
        assert_eq!(table.records[0][0].as_deref(), Some("Zérubia"));
        assert_eq!(table.records[1][0].as_deref(), Some("Cœuvres"));
        assert!(table.encoding.contains("windows-1252"), "{}", table.encoding);
    }

    #[test]
    fn utf8_dbf_without_cpg_is_detected() {
        let bytes = build_dbf(&[("NOM", 20)], &[vec!["Zérubia".as_bytes()]], 0);
        let table = read_dbf(Path::new("t.dbf"), &bytes, None).unwrap();
        assert_eq!(table.records[0][0].as_deref(), Some("Zérubia"));
    }

    #[test]
    fn cpg_wins_over_detection() {
        // These bytes are valid UTF-8 ("Ã©"), but the .cpg says 1252: the user's declaration wins.
        let bytes = build_dbf(&[("NOM", 20)], &[vec!["é".as_bytes()]], 0);
        let table = read_dbf(Path::new("t.dbf"), &bytes, Some("1252\r\n")).unwrap();
        assert_eq!(table.records[0][0].as_deref(), Some("Ã©"));
    }

    #[test]
    fn language_driver_byte_is_used_without_cpg() {
        let bytes = build_dbf(&[("NOM", 20)], &[vec![b"Z\xe9rubia"]], 0x57);
        let table = read_dbf(Path::new("t.dbf"), &bytes, None).unwrap();
        assert_eq!(table.records[0][0].as_deref(), Some("Zérubia"));
        assert!(table.encoding.contains("langue"));
    }

    #[test]
    fn lying_record_count_is_an_error_not_a_panic() {
        let mut bytes = build_dbf(&[("CODE", 5)], &[vec![b"02691"]], 0);
        bytes[4..8].copy_from_slice(&1_000_000u32.to_le_bytes());
        let err = read_dbf(Path::new("t.dbf"), &bytes, None).unwrap_err().to_string();
        assert!(err.contains("t.dbf") && err.contains("1000000 enregistrements"), "{err}");
    }

    #[test]
    fn lying_header_size_and_truncation_are_errors() {
        let good = build_dbf(&[("CODE", 5)], &[vec![b"02691"], vec![b"2A004"]], 0);
        let mut bad = good.clone();
        bad[8..10].copy_from_slice(&u16::MAX.to_le_bytes());
        assert!(read_dbf(Path::new("t.dbf"), &bad, None).is_err());
        for cut in [0, 10, 40, good.len() - 4] {
            assert!(read_dbf(Path::new("t.dbf"), &good[..cut], None).is_err(), "cut at {cut}");
        }
        let mut wrong_size = good;
        wrong_size[10] = 99;
        let err = read_dbf(Path::new("t.dbf"), &wrong_size, None).unwrap_err().to_string();
        assert!(err.contains("taille d'enregistrement"), "{err}");
    }

    #[test]
    fn codes_stay_text() {
        let bytes = build_dbf(&[("INSEE_COM", 5)], &[vec![b"02691"], vec![b"2A004"]], 0);
        let table = read_dbf(Path::new("t.dbf"), &bytes, None).unwrap();
        assert_eq!(table.records[0][0].as_deref(), Some("02691"));
        assert_eq!(table.records[1][0].as_deref(), Some("2A004"));
    }
}
