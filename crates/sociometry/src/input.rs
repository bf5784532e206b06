//! Reads survey answers from CSV text: the long formats of `erbij sociometry`
//! (`group,from,to,rating` and `group,from,to,question`) and SSrat's wide format
//! (`schoolid,groupid,respid,r01..rNN`).
//!
//! Messages are in Dutch (a teacher reads them) and name the 1-based line. Every problem in
//! the file is reported, not only the first, so one round of corrections is enough.

use std::collections::HashMap;

use crate::distribution::ScoreMatrix;
use crate::survey::{NominationGroup, Question, Rating, RatingGroup, Scale};

/// A problem with the answers file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error(
        "het bestand is leeg; de eerste regel moet `group,from,to,rating` of `group,from,to,question` zijn"
    )]
    Empty,
    #[error(
        "regel {line}: onbekende kopregel `{found}`; verwacht `group,from,to,rating` (beoordelingen), `group,from,to,question` (nominaties) of SSrats `schoolid,groupid,respid,r01,...`"
    )]
    UnknownHeader { line: usize, found: String },
    #[error("regel {line}: {found} velden, verwacht {expected} (zoals de kopregel)")]
    FieldCount {
        line: usize,
        found: usize,
        expected: usize,
    },
    #[error("regel {line}: een aanhalingsteken (\") wordt niet afgesloten")]
    UnclosedQuote { line: usize },
    #[error("regel {line}: kolom `{column}` is leeg")]
    EmptyField { line: usize, column: &'static str },
    #[error(
        "regel {line}: beoordeling `{value}` ligt niet op de schaal 1 t/m {points}; klopt de schaal? (kies die met --scale 3|5|7|9)"
    )]
    RatingOffScale {
        line: usize,
        value: String,
        points: u8,
    },
    #[error("regel {line}: onbekende vraag `{value}`; gebruik positive, negative of left_out")]
    UnknownQuestion { line: usize, value: String },
    #[error("regel {line}: `{pupil}` kiest of beoordeelt zichzelf; laat die regel weg")]
    SelfChoice { line: usize, pupil: String },
    #[error("regel {line}: `{from}` beoordeelde `{to}` al op regel {first} met een ander cijfer")]
    ConflictingRating {
        line: usize,
        first: usize,
        from: String,
        to: String,
    },
    #[error("regel {line}: `{value}` is geen nummer")]
    NotANumber { line: usize, value: String },
    #[error(
        "groep `{group}` heeft meer dan {MAX_GROUP_SIZE} leerlingen (vanaf regel {line}); is de kolom `group` goed gevuld?"
    )]
    GroupTooLarge { line: usize, group: String },
}

/// Largest group the reader accepts: a class, or a year group taking the survey together.
/// A bigger "group" is almost always a mistake in the file (and would cost memory for nothing).
pub const MAX_GROUP_SIZE: usize = 500;

/// The answers in a file: ratings or nominations, per group in order of appearance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Survey {
    Ratings(Vec<RatingGroup>),
    Nominations(Vec<NominationGroup>),
}

/// Splits one CSV line into fields (RFC 4180 quoting within the line).
fn fields(text: &str, line: usize) -> Result<Vec<String>, InputError> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut at_start = true;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            }
            '"' if at_start => {
                quoted = true;
                at_start = false;
            }
            ',' if !quoted => {
                out.push(field.trim().to_string());
                field.clear();
                at_start = true;
            }
            c => {
                field.push(c);
                if !c.is_whitespace() {
                    at_start = false;
                }
            }
        }
    }
    if quoted {
        return Err(InputError::UnclosedQuote { line });
    }
    out.push(field.trim().to_string());
    Ok(out)
}

/// Non-empty lines with their 1-based numbers, BOM and line endings removed.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.trim_start_matches('\u{feff}')
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty())
}

/// Reads an answers file. `scale` is used for ratings (SSrat's default is 5).
pub fn read_survey(text: &str, scale: Scale) -> Result<Survey, Vec<InputError>> {
    let mut rows = lines(text);
    let Some((header_line, header_text)) = rows.next() else {
        return Err(vec![InputError::Empty]);
    };
    let header = fields(header_text, header_line).map_err(|e| vec![e])?;
    let names: Vec<String> = header.iter().map(|h| h.to_ascii_lowercase()).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    match names.as_slice() {
        ["group", "from", "to", "rating"] => read_long(rows, scale, LongKind::Ratings),
        ["group", "from", "to", "question"] => read_long(rows, scale, LongKind::Nominations),
        ["schoolid", "groupid", "respid", rest @ ..]
            if !rest.is_empty() && rest.iter().all(|r| r.starts_with('r')) =>
        {
            read_ssrat_wide(rows, scale, rest.len())
        }
        _ => Err(vec![InputError::UnknownHeader {
            line: header_line,
            found: header_text.to_string(),
        }]),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LongKind {
    Ratings,
    Nominations,
}

/// Pupils of one group by id, in order of first appearance.
#[derive(Default)]
struct Roster {
    ids: Vec<String>,
    index: HashMap<String, usize>,
}

impl Roster {
    fn add(&mut self, id: &str) -> usize {
        if let Some(&i) = self.index.get(id) {
            return i;
        }
        self.ids.push(id.to_string());
        self.index.insert(id.to_string(), self.ids.len() - 1);
        self.ids.len() - 1
    }
}

struct LongRow {
    line: usize,
    from: usize,
    to: Option<usize>,
    value: String,
}

fn read_long<'a>(
    rows: impl Iterator<Item = (usize, &'a str)>,
    scale: Scale,
    kind: LongKind,
) -> Result<Survey, Vec<InputError>> {
    let mut errors = Vec::new();
    let mut group_order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, (Roster, Vec<LongRow>)> = HashMap::new();
    for (line, text) in rows {
        let row = match fields(text, line) {
            Ok(row) => row,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let [group, from, to, value] = row.as_slice() else {
            errors.push(InputError::FieldCount {
                line,
                found: row.len(),
                expected: 4,
            });
            continue;
        };
        let empty = |column| InputError::EmptyField { line, column };
        if group.is_empty() {
            errors.push(empty("group"));
            continue;
        }
        if from.is_empty() {
            errors.push(empty("from"));
            continue;
        }
        if kind == LongKind::Ratings && to.is_empty() {
            errors.push(empty("to"));
            continue;
        }
        if kind == LongKind::Ratings && value.is_empty() {
            errors.push(empty("rating"));
            continue;
        }
        if kind == LongKind::Nominations && value.is_empty() {
            errors.push(empty("question"));
            continue;
        }
        if from == to {
            errors.push(InputError::SelfChoice {
                line,
                pupil: from.clone(),
            });
            continue;
        }
        if !groups.contains_key(group) {
            group_order.push(group.clone());
        }
        let (roster, answers) = groups.entry(group.clone()).or_default();
        if roster.ids.len() + 2 > MAX_GROUP_SIZE
            && !(roster.index.contains_key(from.as_str())
                && (to.is_empty() || roster.index.contains_key(to.as_str())))
        {
            if roster.ids.len() <= MAX_GROUP_SIZE {
                errors.push(InputError::GroupTooLarge {
                    line,
                    group: group.clone(),
                });
                // Reported once per group: push it past the limit so later rows stay quiet.
                roster.ids.resize(MAX_GROUP_SIZE + 1, String::new());
            }
            continue;
        }
        let from = roster.add(from);
        let to = (!to.is_empty()).then(|| roster.add(to));
        answers.push(LongRow {
            line,
            from,
            to,
            value: value.clone(),
        });
    }
    let mut rating_groups = Vec::new();
    let mut nomination_groups = Vec::new();
    for id in group_order {
        let Some((roster, answers)) = groups.remove(&id) else {
            continue;
        };
        match kind {
            LongKind::Ratings => {
                rating_groups.push(build_rating_group(id, roster, &answers, scale, &mut errors))
            }
            LongKind::Nominations => {
                nomination_groups.push(build_nomination_group(id, roster, &answers, &mut errors))
            }
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(error_line);
        return Err(errors);
    }
    Ok(match kind {
        LongKind::Ratings => Survey::Ratings(rating_groups),
        LongKind::Nominations => Survey::Nominations(nomination_groups),
    })
}

fn error_line(error: &InputError) -> usize {
    match error {
        InputError::Empty => 0,
        InputError::UnknownHeader { line, .. }
        | InputError::FieldCount { line, .. }
        | InputError::UnclosedQuote { line }
        | InputError::EmptyField { line, .. }
        | InputError::RatingOffScale { line, .. }
        | InputError::UnknownQuestion { line, .. }
        | InputError::SelfChoice { line, .. }
        | InputError::ConflictingRating { line, .. }
        | InputError::NotANumber { line, .. }
        | InputError::GroupTooLarge { line, .. } => *line,
    }
}

fn parse_rating(value: &str, scale: Scale, line: usize) -> Result<Rating, InputError> {
    value
        .parse::<u8>()
        .ok()
        .and_then(|v| Rating::new(v, scale))
        .ok_or_else(|| InputError::RatingOffScale {
            line,
            value: value.to_string(),
            points: scale.points(),
        })
}

fn build_rating_group(
    id: String,
    roster: Roster,
    answers: &[LongRow],
    scale: Scale,
    errors: &mut Vec<InputError>,
) -> RatingGroup {
    let size = roster.ids.len();
    let mut ratings = ScoreMatrix::new(size);
    let mut first_line: HashMap<(usize, usize), usize> = HashMap::new();
    for row in answers {
        let Some(to) = row.to else { continue };
        match parse_rating(&row.value, scale, row.line) {
            Ok(rating) => {
                let value = u32::from(rating.value());
                match (ratings.get(row.from, to), first_line.get(&(row.from, to))) {
                    (Some(previous), Some(&first)) if previous != value => {
                        errors.push(InputError::ConflictingRating {
                            line: row.line,
                            first,
                            from: roster.ids.get(row.from).cloned().unwrap_or_default(),
                            to: roster.ids.get(to).cloned().unwrap_or_default(),
                        });
                    }
                    _ => {
                        first_line.entry((row.from, to)).or_insert(row.line);
                        ratings.set(row.from, to, Some(value));
                    }
                }
            }
            Err(e) => errors.push(e),
        }
    }
    RatingGroup {
        id,
        pupils: roster.ids,
        scale,
        ratings,
    }
}

fn build_nomination_group(
    id: String,
    roster: Roster,
    answers: &[LongRow],
    errors: &mut Vec<InputError>,
) -> NominationGroup {
    let mut group = NominationGroup::new(id, roster.ids);
    for row in answers {
        match Question::from_key(&row.value.to_ascii_lowercase()) {
            Some(question) => {
                group.ask(question);
                group.mark_took_part(row.from);
                if let Some(to) = row.to {
                    group.nominate(question, row.from, to);
                }
            }
            None => errors.push(InputError::UnknownQuestion {
                line: row.line,
                value: row.value.clone(),
            }),
        }
    }
    group
}

/// SSrat's wide format: one row per rater; column `rK` is the rating given to the K-th
/// pupil of the group (the K-th row of that group, as in SSrat), empty when missing.
fn read_ssrat_wide<'a>(
    rows: impl Iterator<Item = (usize, &'a str)>,
    scale: Scale,
    columns: usize,
) -> Result<Survey, Vec<InputError>> {
    let mut errors = Vec::new();
    let mut order: Vec<String> = Vec::new();
    // Per group: respondent ids and their rows of (line, raw ratings).
    let mut groups: HashMap<String, Vec<(usize, String, Vec<String>)>> = HashMap::new();
    for (line, text) in rows {
        let row = match fields(text, line) {
            Ok(row) => row,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if columns > MAX_GROUP_SIZE {
            errors.push(InputError::GroupTooLarge {
                line,
                group: row.get(1).cloned().unwrap_or_default(),
            });
            break;
        }
        if row.len() != columns + 3 {
            errors.push(InputError::FieldCount {
                line,
                found: row.len(),
                expected: columns + 3,
            });
            continue;
        }
        let (Some(school), Some(group), Some(respondent)) = (row.first(), row.get(1), row.get(2))
        else {
            continue;
        };
        for (value, column) in [
            (school, "schoolid"),
            (group, "groupid"),
            (respondent, "respid"),
        ] {
            if value.is_empty() {
                errors.push(InputError::EmptyField { line, column });
            } else if value.parse::<u64>().is_err() {
                errors.push(InputError::NotANumber {
                    line,
                    value: value.clone(),
                });
            }
        }
        let id = format!("{school}-{group}");
        if !groups.contains_key(&id) {
            order.push(id.clone());
        }
        groups.entry(id).or_default().push((
            line,
            respondent.clone(),
            row.iter().skip(3).cloned().collect(),
        ));
    }
    let mut result = Vec::new();
    for id in order {
        let Some(raters) = groups.remove(&id) else {
            continue;
        };
        // Pupils: the raters in order, plus any column beyond them that holds a rating.
        let mut pupils: Vec<String> = raters.iter().map(|(_, r, _)| r.clone()).collect();
        let last_used = raters
            .iter()
            .filter_map(|(_, _, values)| values.iter().rposition(|v| !v.is_empty()))
            .max()
            .map_or(0, |p| p + 1);
        for k in pupils.len()..last_used {
            pupils.push(format!("r{:02}", k + 1));
        }
        let mut ratings = ScoreMatrix::new(pupils.len());
        for (from, (line, _, values)) in raters.iter().enumerate() {
            for (to, value) in values.iter().enumerate().take(pupils.len()) {
                if value.is_empty() || to == from {
                    continue;
                }
                match parse_rating(value, scale, *line) {
                    Ok(r) => ratings.set(from, to, Some(u32::from(r.value()))),
                    Err(e) => errors.push(e),
                }
            }
        }
        result.push(RatingGroup {
            id,
            pupils,
            scale,
            ratings,
        });
    }
    if errors.is_empty() {
        Ok(Survey::Ratings(result))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_keep_commas_and_quotes() {
        assert_eq!(
            fields(r#""a, b","say ""hi""",c"#, 1),
            Ok(vec!["a, b".into(), "say \"hi\"".into(), "c".into()])
        );
        assert_eq!(
            fields("\"open", 3),
            Err(InputError::UnclosedQuote { line: 3 })
        );
    }

    #[test]
    fn ssrat_wide_rows_become_a_rating_group_per_school_and_group() {
        let text = "schoolid,groupid,respid,r01,r02,r03\n1,7,1,,3,1\n1,7,2,2,,\n1,7,4,3,3,\n2,7,1,,2,\n2,7,2,2,,\n";
        let Ok(Survey::Ratings(groups)) = read_survey(text, Scale::Three) else {
            panic!("ratings expected");
        };
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].id, "1-7");
        assert_eq!(groups[0].pupils, ["1", "2", "4"]);
        // Column r03 is the third row of the group (respid 4), as in SSrat.
        assert_eq!(groups[0].ratings.get(0, 2), Some(1));
        assert_eq!(groups[0].ratings.get(1, 2), None);
        assert_eq!(groups[1].id, "2-7");
        assert_eq!(groups[1].pupils, ["1", "2"]);
    }

    #[test]
    fn a_group_far_larger_than_a_class_is_refused_once_without_allocating_it() {
        let mut text = String::from("group,from,to,question\n");
        for i in 0..600 {
            text.push_str(&format!("X,p{i},q{i},positive\n"));
        }
        let errors = read_survey(&text, Scale::Five).err().unwrap_or_default();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0]
                .to_string()
                .starts_with("groep `X` heeft meer dan 500 leerlingen")
        );
    }

    #[test]
    fn every_bad_line_is_reported_with_its_number_in_dutch() {
        let text = "group,from,to,rating\n2B,Sanne,Jan,4\n2B,Jan,Sanne,8\n2B,Jan,Jan,3\n2B,Mila\n";
        let errors = read_survey(text, Scale::Five).err().unwrap_or_default();
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].starts_with("regel 3: beoordeling `8` ligt niet op de schaal 1 t/m 5"));
        assert!(messages[1].starts_with("regel 4: `Jan` kiest of beoordeelt zichzelf"));
        assert!(messages[2].starts_with("regel 5: 2 velden, verwacht 4"));
    }
}
