//! The case's evidence as a bundle anyone can check: a zipped BagIt bag (RFC 8493) with the
//! originals, the findings report (HTML, as `erbij analyze` writes it), the custody log as
//! JSON lines and a Dutch README. Bystanders can be pseudonymised in the findings report
//! ("klasgenoot A"), never in the originals, which are the evidence.

use erbij_bundle::{BagContents, LOG_ENTRIES_LABEL, LOG_HEAD_LABEL};
use erbij_report::Language;

use super::analysis::{analyse, class_roster};
use super::{
    CustodyNote, EvidenceAct, EvidenceError, MAX_DESCRIPTION, VaultError, clean_text, utc_text,
};
use crate::cases::{CaseId, PersonRole};
use crate::{Actor, Date, Platform};

/// What the person exporting chose.
#[derive(Debug, Clone, Default)]
pub struct BundleOptions {
    /// Why the bundle is made (logged in the custody log and in `bag-info.txt`).
    pub reason: String,
    /// Replace the names of bystanders in the findings report.
    pub pseudonymise: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Replaces whole-word occurrences of `name` (also HTML-escaped) by `alias`.
fn replace_word(text: &str, name: &str, alias: &str) -> String {
    if name.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(name) {
        let before = rest[..pos].chars().next_back();
        let after = rest[pos + name.len()..].chars().next();
        out.push_str(&rest[..pos]);
        if before.is_some_and(is_word_char) || after.is_some_and(is_word_char) {
            out.push_str(name);
        } else {
            out.push_str(alias);
        }
        rest = &rest[pos + name.len()..];
    }
    out.push_str(rest);
    out
}

fn html_escaped(name: &str) -> String {
    name.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
}

/// "klasgenoot A", "klasgenoot B", ... "klasgenoot AA".
fn alias(index: usize) -> String {
    let mut letters = String::new();
    let mut n = index;
    loop {
        letters.insert(0, char::from(b'A' + (n % 26) as u8));
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    format!("klasgenoot {letters}")
}

/// Replaces each bystander's names (full name first, then the first name) by "klasgenoot
/// A", "klasgenoot B", ...; names in `keep` (and their first names) stay.
pub fn pseudonymise(text: &str, bystanders: &[String], keep: &[String]) -> String {
    let first = |name: &str| name.split_whitespace().next().unwrap_or(name).to_owned();
    let kept_first: Vec<String> = keep.iter().map(|k| first(k)).collect();
    let mut hidden: Vec<String> = Vec::new();
    for name in bystanders {
        // A chat's "Mila" is the kept "Mila de Vries": a first name of someone kept stays.
        let is_kept = keep.contains(name) || kept_first.contains(name);
        if !is_kept && !hidden.contains(name) && !name.trim().is_empty() {
            hidden.push(name.clone());
        }
    }
    // Longer names first, so "Mila de Vries" goes before "Mila".
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (i, name) in hidden.iter().enumerate() {
        let alias = alias(i);
        pairs.push((name.clone(), alias.clone()));
        let given = first(name);
        if given != *name && !kept_first.contains(&given) {
            pairs.push((given, alias));
        }
    }
    pairs.sort_by_key(|(name, _)| std::cmp::Reverse(name.chars().count()));
    let mut out = text.to_owned();
    for (name, alias) in pairs {
        out = replace_word(&out, &name, &alias);
        let escaped = html_escaped(&name);
        if escaped != name {
            out = replace_word(&out, &escaped, &alias);
        }
    }
    out
}

const README: &str = "\
Bewijsbundel uit erbij
======================

Deze map is een BagIt-tas (RFC 8493), de archiefstandaard voor bewijs dat onderweg niet
mag veranderen. Zo is hij opgebouwd:

  data/originelen/     de bestanden zoals ze zijn aangeleverd, onveranderd
  data/bevindingen/    wat erbij in de chatexports en downloads vond (HTML)
  data/bewaarketen.jsonl  wie wanneer welk bestand heeft geüpload, bekeken,
                       gedownload of geëxporteerd; elke regel bevat de SHA-256 van
                       de regel ervoor, zodat een gewijzigde of weggehaalde regel opvalt
  manifest-sha256.txt  de SHA-256 van elk bestand in data/
  tagmanifest-sha256.txt  de SHA-256 van deze beschrijvende bestanden
  bag-info.txt         school, dossier, wanneer en door wie geëxporteerd

Controleren
-----------
1. Met erbij:           erbij verify bundel.zip
2. Met standaardgereedschap, na uitpakken, in deze map:
                        sha256sum -c manifest-sha256.txt
3. Met de referentie-validator van de Library of Congress:
                        bagit.py --validate <deze map>

Elke melding \"FAILED\", \"gewijzigd\", \"ontbreekt\" of \"extra bestand\" betekent dat de
bundel na de export is veranderd.

Let op: deze bundel bevat persoonsgegevens van leerlingen. Bewaar hem versleuteld, deel
hem alleen met wie hem nodig heeft, en verwijder hem als hij niet meer nodig is.
";

impl Platform {
    /// Builds the case's bundle and logs the export (the log in the bundle ends with it).
    /// Returns the suggested file name and the zip.
    pub fn export_bundle(
        &self,
        actor: &Actor,
        case: CaseId,
        options: &BundleOptions,
        language: Language,
    ) -> Result<(String, Vec<u8>), EvidenceError> {
        let (record, _) = self.evidence_case(actor, case, EvidenceAct::Export)?;
        let reason =
            clean_text(&options.reason, MAX_DESCRIPTION, false).map_err(EvidenceError::Invalid)?;
        let school = actor.school_id;
        let files = self.store().evidence_of_case(school, case)?;
        let mut payload: Vec<(String, Vec<u8>)> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        let mut analysable = Vec::new();
        for file in &files {
            let bytes = self.vault().get(school, &file.blob)?;
            if erbij_bundle::sha256_hex(&bytes) != file.sha256 {
                return Err(EvidenceError::Vault(VaultError::Tampered));
            }
            // Each original under its own name; a second file of the same name gets its number.
            let mut name = file.file_name.replace('%', "_");
            if names.contains(&name) {
                name = format!("{}-{name}", file.id.0);
            }
            names.push(name.clone());
            if file.kind.is_analysable() {
                analysable.push(super::AnalysedFile {
                    name: name.clone(),
                    bytes: bytes.clone(),
                    exporter: file.exporter.clone(),
                    evidence: Some(file.id),
                });
            }
            payload.push((format!("originelen/{name}"), bytes));
        }
        if !analysable.is_empty() {
            let pupils = self.case_class_pupils(actor, record.pupil_id)?;
            let analysis = analyse(&analysable, Some(class_roster(&pupils)), language);
            let mut html = erbij_report::render_html(&analysis.analysis, language);
            if options.pseudonymise {
                let people = self.store().case_people(school, case)?;
                let mut keep = Vec::new();
                for pupil in pupils.iter().filter(|p| {
                    p.id == record.pupil_id
                        || people.iter().any(|person| {
                            person.pupil_id == Some(p.id)
                                && matches!(
                                    person.role,
                                    PersonRole::Excluded | PersonRole::Excluding
                                )
                        })
                }) {
                    keep.push(pupil.full_name());
                }
                let mut bystanders: Vec<String> = pupils.iter().map(|p| p.full_name()).collect();
                for chat in &analysis.analysis.chats {
                    bystanders.extend(chat.participants.iter().cloned());
                }
                html = pseudonymise(&html, &bystanders, &keep);
            }
            payload.push(("bevindingen/bevindingen.html".into(), html.into_bytes()));
        }
        let exported = self.log_custody(
            school,
            case,
            Some(actor.user_id),
            "export",
            CustodyNote {
                evidence: None,
                reason: Some(if options.pseudonymise {
                    format!("{reason} (omstanders gepseudonimiseerd in de bevindingen)")
                } else {
                    reason.clone()
                }),
            },
        )?;
        let log = self.store().custody(school, case)?;
        let mut text = String::new();
        for entry in &log {
            text.push_str(&entry.line());
            text.push('\n');
        }
        payload.push(("bewaarketen.jsonl".into(), text.into_bytes()));
        let school_name = self
            .store()
            .school(school)?
            .map(|s| s.name)
            .unwrap_or_default();
        let exporter = self
            .store()
            .user(school, actor.user_id)?
            .map(|u| u.name)
            .unwrap_or_default();
        let now = self.now();
        let root = format!("erbij-dossier-{}", case.0);
        let bag = BagContents {
            root: root.clone(),
            info: vec![
                ("Source-Organization".into(), school_name),
                ("External-Identifier".into(), format!("dossier {}", case.0)),
                ("Bagging-Date".into(), Date::from_timestamp(now).to_string()),
                ("Exported-At".into(), utc_text(now)),
                ("Exported-By".into(), exporter),
                ("Export-Reason".into(), reason),
                (
                    "Pseudonymised-Findings".into(),
                    if options.pseudonymise { "yes" } else { "no" }.into(),
                ),
                (
                    "Bag-Software-Agent".into(),
                    format!("erbij {}", env!("CARGO_PKG_VERSION")),
                ),
                (LOG_ENTRIES_LABEL.into(), log.len().to_string()),
                (LOG_HEAD_LABEL.into(), exported.hash),
            ],
            payload,
            readme: README.to_owned(),
        };
        let zip = erbij_bundle::write_zip(&bag)
            .map_err(|e| EvidenceError::Vault(VaultError::Io(e.to_string())))?;
        Ok((format!("{root}.zip"), zip))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bystanders_become_classmates_and_the_people_involved_stay() {
        let text =
            "Sanne de Boer heeft Mila verwijderd; Sanne lachte, Daan O&#x27;Brien ook. Sannes";
        let out = pseudonymise(
            text,
            &[
                "Sanne de Boer".into(),
                "Daan O'Brien".into(),
                "Mila Visser".into(),
                "Mila".into(),
            ],
            &["Mila Visser".into()],
        );
        assert_eq!(
            out,
            "klasgenoot A heeft Mila verwijderd; klasgenoot A lachte, klasgenoot B ook. Sannes"
        );
    }

    #[test]
    fn aliases_run_past_z() {
        assert_eq!(alias(0), "klasgenoot A");
        assert_eq!(alias(25), "klasgenoot Z");
        assert_eq!(alias(26), "klasgenoot AA");
    }
}
