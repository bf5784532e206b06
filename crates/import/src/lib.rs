//! Reads pupil lists exported by Dutch pupil administration systems (Magister, Somtoday,
//! ParnasSys) into rows, with a clear error per line it cannot use.
//!
//! Accepts UTF-8 (with or without BOM) and Windows-1252, `;`, `,` or tab as separator, and
//! the Dutch column names these systems use. It never panics and never stops at a bad row:
//! the caller shows every good row and every error, and saves nothing until a person
//! confirms. Pure: no I/O, no database, no knowledge of HTTP. It also holds the escaping
//! that keeps names from running as formulas when a list goes back into a spreadsheet.

mod decode;
mod spreadsheet;

pub use decode::decode_text;
pub use spreadsheet::{csv_field, escape_formula};

/// What a column of the file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    GivenName,
    Infix,
    FamilyName,
    Class,
    ExternalId,
    /// A parent's or carer's e-mail address; a file may have several such columns
    /// ("e-mail ouder 1", "e-mail ouder 2"), each kept.
    ParentEmail,
    Ignore,
}

impl Field {
    pub const ALL: [Field; 7] = [
        Field::GivenName,
        Field::Infix,
        Field::FamilyName,
        Field::Class,
        Field::ExternalId,
        Field::ParentEmail,
        Field::Ignore,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::GivenName => "given_name",
            Field::Infix => "infix",
            Field::FamilyName => "family_name",
            Field::Class => "class",
            Field::ExternalId => "external_id",
            Field::ParentEmail => "parent_email",
            Field::Ignore => "ignore",
        }
    }

    pub fn parse(raw: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == raw)
    }

    /// Recognises a column heading; `roepnaam` wins over `voornamen` (see [`auto_mapping`]).
    fn from_heading(heading: &str) -> Option<Field> {
        let h: String = heading
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        // "E-mail ouder/verzorger", "e-mailadres ouder 1", "Email verzorger 2",
        // "Ouder e-mail", "parent email": any heading about mail and a parent or carer.
        if h.contains("mail")
            && ["ouder", "verzorger", "parent", "guardian", "carer"]
                .iter()
                .any(|w| h.contains(w))
        {
            return Some(Field::ParentEmail);
        }
        Some(match h.as_str() {
            "roepnaam" | "voornaam" | "voornamen" | "firstname" | "givenname"
            | "leerlingroepnaam" => Field::GivenName,
            // "Tussenv.", "Tussenvoegsel(s)", "Voorv.", "Voorvoegsel": every way the
            // administrations abbreviate it, so no "de" in "René de Bruijn" is dropped.
            "tussenvoegsel"
            | "tussenvoegsels"
            | "tussenv"
            | "tussenvoegs"
            | "tussenvg"
            | "voorvoegsel"
            | "voorvoegsels"
            | "voorv"
            | "voorvoegs"
            | "tv"
            | "infix"
            | "prefix"
            | "leerlingtussenvoegsel"
            | "leerlingtussenvoegsels" => Field::Infix,
            "achternaam" | "naam" | "familienaam" | "geslachtsnaam" | "lastname" | "surname"
            | "leerlingachternaam" => Field::FamilyName,
            "klas" | "groep" | "stamgroep" | "basisgroep" | "klasgroep" | "lesgroep" | "class" => {
                Field::Class
            }
            "stamnummer" | "leerlingnummer" | "leerlingnr" | "llnr" | "stamnr"
            | "studentnumber" | "id" => Field::ExternalId,
            _ => return None,
        })
    }
}

/// The file's columns and what each is taken to hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping(pub Vec<Field>);

impl Mapping {
    fn column_of(&self, field: Field) -> Option<usize> {
        self.0.iter().position(|f| *f == field)
    }

    fn columns_of(&self, field: Field) -> impl Iterator<Item = usize> + '_ {
        self.0
            .iter()
            .enumerate()
            .filter(move |(_, f)| **f == field)
            .map(|(i, _)| i)
    }
}

/// Why a file as a whole cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file is empty")]
    Empty,
    #[error(
        "the file is not text in UTF-8 or Windows-1252 (it looks like {0}); save it from the spreadsheet as CSV"
    )]
    NotText(&'static str),
    #[error("the file has more than {max} rows; split it per year group")]
    TooManyRows { max: usize },
    #[error(
        "column `{0}` is missing; the export needs at least a given name (roepnaam/voornaam), a family name (achternaam) and a class (klas/groep)"
    )]
    MissingColumn(&'static str),
}

/// Why one line cannot be used. `line` counts from 1 as a spreadsheet does, the heading being line 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub problem: RowProblem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblem {
    Missing(Field),
    TooLong(Field),
    ControlCharacters(Field),
    WrongColumnCount {
        found: usize,
        expected: usize,
    },
    DuplicateExternalId {
        first_line: usize,
    },
    /// Not an e-mail address (the text as written, so the person can find it).
    BadEmail {
        value: String,
    },
}

/// A readable row, with its line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRow {
    pub line: usize,
    pub given_name: String,
    pub infix: String,
    pub family_name: String,
    pub class_name: String,
    pub external_id: String,
    /// The parents' addresses, lower-cased, each once, in column order.
    pub parent_emails: Vec<String>,
}

/// Everything a preview shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub separator: char,
    pub encoding: &'static str,
    pub headings: Vec<String>,
    pub mapping: Mapping,
    pub rows: Vec<ParsedRow>,
    pub errors: Vec<RowError>,
}

/// The largest file we read; bigger than any school's roster (the largest Dutch schools
/// have about 4,000 pupils), small enough to preview.
pub const MAX_ROWS: usize = 100_000;

/// The file's headings and the mapping guessed from them, for a file whose rows cannot be
/// read yet (a required column was not recognised): the person then picks the columns.
pub fn headings(bytes: &[u8]) -> Result<(Vec<String>, Mapping), FileError> {
    let (text, _) = decode_text(bytes)?;
    let first_line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .ok_or(FileError::Empty)?;
    let separator = detect_separator(first_line);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator as u8)
        .has_headers(false)
        .flexible(true)
        .from_reader(first_line.as_bytes());
    let headings: Vec<String> = match reader.records().next() {
        Some(Ok(record)) => record.iter().map(|h| h.trim().to_string()).collect(),
        _ => return Err(FileError::Empty),
    };
    let mapping = auto_mapping(&headings);
    Ok((headings, mapping))
}

/// Reads a file with the mapping guessed from its headings.
pub fn preview(bytes: &[u8]) -> Result<Preview, FileError> {
    preview_with(bytes, None, "")
}

/// Reads a file; `mapping` overrides the guess (one field per column). `default_class` is
/// used for rows without a class (a file exported for one class).
pub fn preview_with(
    bytes: &[u8],
    mapping: Option<Mapping>,
    default_class: &str,
) -> Result<Preview, FileError> {
    let (text, encoding) = decode_text(bytes)?;
    let first_line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .ok_or(FileError::Empty)?;
    let separator = detect_separator(first_line);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator as u8)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let mut records = reader.records();
    let headings: Vec<String> = match records.next() {
        Some(Ok(record)) => record.iter().map(|h| h.trim().to_string()).collect(),
        _ => return Err(FileError::Empty),
    };
    let mapping = match mapping {
        Some(m) if m.0.len() == headings.len() => m,
        _ => auto_mapping(&headings),
    };
    let default_class = default_class.trim();
    if mapping.column_of(Field::GivenName).is_none() {
        return Err(FileError::MissingColumn("roepnaam"));
    }
    if mapping.column_of(Field::FamilyName).is_none() {
        return Err(FileError::MissingColumn("achternaam"));
    }
    if mapping.column_of(Field::Class).is_none() && default_class.is_empty() {
        return Err(FileError::MissingColumn("klas"));
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen_ids = std::collections::HashMap::new();
    for (index, record) in records.enumerate() {
        // The csv reader skips blank lines in its own count; count from the byte offset.
        let line = match record.as_ref().ok().and_then(|r| r.position()) {
            Some(position) => {
                // The position is where reading began, before any skipped blank lines.
                let mut offset = usize::try_from(position.byte()).unwrap_or(usize::MAX);
                while matches!(text.as_bytes().get(offset), Some(b'\n' | b'\r')) {
                    offset += 1;
                }
                newlines.partition_point(|&n| n < offset) + 1
            }
            None => index + 2,
        };
        if rows.len() + errors.len() >= MAX_ROWS {
            return Err(FileError::TooManyRows { max: MAX_ROWS });
        }
        let Ok(record) = record else {
            errors.push(RowError {
                line,
                problem: RowProblem::WrongColumnCount {
                    found: 0,
                    expected: headings.len(),
                },
            });
            continue;
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() != headings.len() {
            errors.push(RowError {
                line,
                problem: RowProblem::WrongColumnCount {
                    found: record.len(),
                    expected: headings.len(),
                },
            });
            continue;
        }
        let get = |field: Field| -> String {
            mapping
                .column_of(field)
                .and_then(|i| record.get(i))
                .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default()
        };
        let mut row = ParsedRow {
            line,
            given_name: get(Field::GivenName),
            infix: get(Field::Infix),
            family_name: get(Field::FamilyName),
            class_name: get(Field::Class),
            external_id: get(Field::ExternalId),
            parent_emails: Vec::new(),
        };
        let mut bad_email = None;
        for column in mapping.columns_of(Field::ParentEmail) {
            let cell = record.get(column).unwrap_or("");
            for address in cell
                .split([',', ';', ' ', '\t'])
                .map(str::trim)
                .filter(|a| !a.is_empty())
            {
                if !plausible_email(address) {
                    bad_email.get_or_insert_with(|| address.to_string());
                    continue;
                }
                let address = address.to_lowercase();
                if !row.parent_emails.contains(&address) {
                    row.parent_emails.push(address);
                }
            }
        }
        if let Some(value) = bad_email {
            errors.push(RowError {
                line,
                problem: RowProblem::BadEmail { value },
            });
            continue;
        }
        if row.class_name.is_empty() {
            row.class_name = default_class.to_string();
        }
        match check_row(&row) {
            Some(problem) => errors.push(RowError { line, problem }),
            None => {
                if !row.external_id.is_empty() {
                    if let Some(first_line) = seen_ids.get(&row.external_id) {
                        errors.push(RowError {
                            line,
                            problem: RowProblem::DuplicateExternalId {
                                first_line: *first_line,
                            },
                        });
                        continue;
                    }
                    seen_ids.insert(row.external_id.clone(), line);
                }
                rows.push(row);
            }
        }
    }
    Ok(Preview {
        separator,
        encoding,
        headings,
        mapping,
        rows,
        errors,
    })
}

/// One `@` with text on both sides and a dot in the domain; no spaces or control
/// characters; at most 254 characters. The platform's own `Email` check decides at saving.
fn plausible_email(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    address.chars().count() <= 254
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !address.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn check_row(row: &ParsedRow) -> Option<RowProblem> {
    let checks = [
        (Field::GivenName, &row.given_name, 100, true),
        (Field::Infix, &row.infix, 30, false),
        (Field::FamilyName, &row.family_name, 100, true),
        (Field::Class, &row.class_name, 40, true),
        (Field::ExternalId, &row.external_id, 40, false),
    ];
    for (field, value, max, required) in checks {
        if required && value.is_empty() {
            return Some(RowProblem::Missing(field));
        }
        if value.chars().count() > max {
            return Some(RowProblem::TooLong(field));
        }
        if value.chars().any(char::is_control) {
            return Some(RowProblem::ControlCharacters(field));
        }
    }
    None
}

/// Guesses each column's meaning from its heading. When a file has both `roepnaam` and
/// `voornamen`, the roepnaam (the name the child is called by) is used.
pub fn auto_mapping(headings: &[String]) -> Mapping {
    let mut fields: Vec<Field> = headings
        .iter()
        .map(|h| Field::from_heading(h).unwrap_or(Field::Ignore))
        .collect();
    let is_roepnaam = |h: &String| h.to_lowercase().contains("roepnaam");
    if headings.iter().any(is_roepnaam) {
        for (field, heading) in fields.iter_mut().zip(headings) {
            if *field == Field::GivenName && !is_roepnaam(heading) {
                *field = Field::Ignore;
            }
        }
    }
    // A field taken twice keeps its first column (parents' addresses keep every column).
    let mut seen = std::collections::HashSet::new();
    for field in fields.iter_mut() {
        if !matches!(*field, Field::Ignore | Field::ParentEmail) && !seen.insert(*field) {
            *field = Field::Ignore;
        }
    }
    Mapping(fields)
}

fn detect_separator(heading_line: &str) -> char {
    [';', ',', '\t']
        .into_iter()
        .max_by_key(|sep| heading_line.matches(*sep).count())
        .unwrap_or(';')
}

#[cfg(test)]
mod tests;
