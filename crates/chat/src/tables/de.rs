//! German (`de`): Android and iPhone.
//!
//! Verified: seen in real exports quoted in public repositories (a script run on a real
//! 2017 iPhone export, a real Android export's lines listed by a parser, a README showing an
//! export): `hat die Gruppe erstellt`, `hat dich hinzugefügt`, `hat … hinzugefügt`,
//! `hat … entfernt`, `hat die Gruppe verlassen`, `hat zu … gewechselt`,
//! `hat die Telefonnummer gewechselt`, the encryption notices `Nachrichten, die Sie an diese
//! Gruppe senden, sind jetzt …` and `Nachrichten in diesem Chat sowie Anrufe sind jetzt …`.
//! From WhatsApp's own string files as collected by the public parser `whats_json` (not
//! checked against an export): `Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt`,
//! `Diese Nachricht wurde gelöscht`, `Du hast diese Nachricht gelöscht`, the media
//! placeholders, `Deine Sicherheitsnummer für … hat sich geändert`.
//! Unverified (WhatsApp's wording as known, no real export seen): everything else, in
//! particular the `Du hast …` forms, subject and icon changes, admin changes and joining by
//! link.

use super::{LanguageTable, Meaning::*};
use crate::{Language, MediaKind};

pub(crate) static TABLE: LanguageTable = LanguageTable {
    language: Language::German,
    exporter: &["Du", "du", "dich", "Dich", "dir", "Dir"],
    list_and: " und ",
    trailing_hints: &[
        " Tippe, um mehr zu erfahren.",
        " Tippe für mehr Infos.",
        " Tippe, um eine Nachricht zu senden oder die neue Nummer hinzuzufügen.",
    ],
    templates: &[
        // Verified (real export) / WhatsApp's strings.
        (
            EncryptionNotice,
            "Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt{_}",
        ),
        (
            EncryptionNotice,
            "Nachrichten, die Sie an diese Gruppe senden, sind jetzt mit Ende-zu-Ende-Verschlüsselung geschützt{_}",
        ),
        (
            EncryptionNotice,
            "Nachrichten in diesem Chat sowie Anrufe sind jetzt mit Ende-zu-Ende-Verschlüsselung geschützt{_}",
        ),
        // Unverified.
        (
            EncryptionNotice,
            "Nachrichten, die du an diese Gruppe sendest, sind jetzt mit Ende-zu-Ende-Verschlüsselung geschützt{_}",
        ),
        // Unverified: `Du hast …` and the named group.
        (Created, "Du hast die Gruppe {group} erstellt"),
        (Created, "Du hast diese Gruppe erstellt"),
        (Created, "Du hast die Gruppe erstellt"),
        // Verified: `hat die Gruppe erstellt` (iPhone).
        (Created, "{by} hat die Gruppe erstellt"),
        (Created, "{by} hat diese Gruppe erstellt"),
        (Created, "{by} hat die Gruppe {group} erstellt"),
        // Unverified from here to the verified lines below.
        (IconChanged, "Du hast das Gruppenbild geändert"),
        (IconChanged, "{by} hat das Gruppenbild geändert"),
        (IconDeleted, "Du hast das Gruppenbild gelöscht"),
        (IconDeleted, "{by} hat das Gruppenbild gelöscht"),
        (IconDeleted, "Du hast das Gruppenbild entfernt"),
        (IconDeleted, "{by} hat das Gruppenbild entfernt"),
        (
            DescriptionChanged,
            "Du hast die Gruppenbeschreibung geändert",
        ),
        (
            DescriptionChanged,
            "{by} hat die Gruppenbeschreibung geändert",
        ),
        (
            DescriptionChanged,
            "{by} hat die Gruppenbeschreibung gelöscht",
        ),
        (
            DescriptionChanged,
            "{by} hat die Gruppenbeschreibung entfernt",
        ),
        (
            SubjectChanged,
            "Du hast den Betreff von {from} zu {to} geändert",
        ),
        (SubjectChanged, "Du hast den Betreff zu {to} geändert"),
        (
            SubjectChanged,
            "Du hast den Gruppennamen von {from} zu {to} geändert",
        ),
        (SubjectChanged, "Du hast den Gruppennamen zu {to} geändert"),
        (
            SubjectChanged,
            "{by} hat den Betreff von {from} zu {to} geändert",
        ),
        (SubjectChanged, "{by} hat den Betreff zu {to} geändert"),
        (
            SubjectChanged,
            "{by} hat den Gruppennamen von {from} zu {to} geändert",
        ),
        (SubjectChanged, "{by} hat den Gruppennamen zu {to} geändert"),
        (SubjectChanged, "{by} hat den Gruppennamen in {to} geändert"),
        (Left, "Du hast die Gruppe verlassen"),
        // Verified.
        (Left, "{who} hat die Gruppe verlassen"),
        // Unverified.
        (
            JoinedViaLink,
            "Du bist über den Einladungslink dieser Gruppe beigetreten",
        ),
        (
            JoinedViaLink,
            "{who} ist über den Einladungslink dieser Gruppe beigetreten",
        ),
        (
            JoinedViaLink,
            "{who} ist der Gruppe über den Einladungslink beigetreten",
        ),
        (
            JoinedViaLink,
            "{who} ist über den Einladungslink beigetreten",
        ),
        (
            JoinedViaInvite,
            "{who} ist über deine Einladung beigetreten",
        ),
        (AdminGranted, "Du bist jetzt Admin"),
        (AdminGranted, "Du bist jetzt ein Admin"),
        (AdminGranted, "{who} ist jetzt Admin"),
        (AdminGranted, "{who} ist jetzt ein Admin"),
        (AdminRevoked, "Du bist kein Admin mehr"),
        (AdminRevoked, "{who} ist kein Admin mehr"),
        // WhatsApp's strings.
        (
            SecurityCodeChanged,
            "Deine Sicherheitsnummer für {who} hat sich geändert",
        ),
        // Verified.
        (NumberChanged, "{who} hat die Telefonnummer gewechselt{_}"),
        (NumberChanged, "{who} hat zu {new} gewechselt"),
        // Unverified.
        (AddedUnattributed, "Du wurdest hinzugefügt"),
        (AddedUnattributed, "{who} wurde hinzugefügt"),
        (AddedUnattributed, "{who} wurden hinzugefügt"),
        (Added, "Du hast {who} hinzugefügt"),
        // Verified (also with `dich`).
        (Added, "{by} hat {who} hinzugefügt"),
        // Unverified.
        (Removed, "Du hast {who} entfernt"),
        // Verified.
        (Removed, "{by} hat {who} entfernt"),
    ],
    // WhatsApp's strings.
    deleted: &[
        "Diese Nachricht wurde gelöscht",
        "Du hast diese Nachricht gelöscht",
    ],
    media_omitted: &[
        // Verified: `Bild weggelassen`, `Video weggelassen`, `Audio weggelassen`,
        // `GIF weggelassen` (lines listed by a parser of a real export). Unverified: the rest.
        ("<Medien ausgeschlossen>", MediaKind::Omitted),
        ("<Medien weggelassen>", MediaKind::Omitted),
        ("Bild weggelassen", MediaKind::Image),
        ("Video weggelassen", MediaKind::Video),
        ("Audio weggelassen", MediaKind::Audio),
        ("Sticker weggelassen", MediaKind::Sticker),
        ("GIF weggelassen", MediaKind::Gif),
        ("Dokument weggelassen", MediaKind::Document),
        ("Kontaktkarte ausgelassen", MediaKind::Contact),
    ],
    attached_suffix: " (Datei angehängt)",
    attached_prefix: "<Anhang: ",
    edited: &["<Diese Nachricht wurde bearbeitet>"],
};
