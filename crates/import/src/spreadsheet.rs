//! Writing names back out for spreadsheets. A cell that starts with `=`, `+`, `-`, `@`, tab
//! or carriage return is run as a formula by Excel and LibreOffice (CSV injection, e.g.
//! `=cmd|' /C calc'!A0`); such values get a leading apostrophe, which the spreadsheet shows
//! as text.

/// The value, made safe to open in a spreadsheet.
pub fn escape_formula(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    }
}

/// One CSV field for a `;`-separated file: formula-escaped, then quoted when needed.
pub fn csv_field(value: &str) -> String {
    let safe = escape_formula(value);
    if safe.contains([';', '"', '\n', '\r', ',']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}
