//! Polish (`pl`): Android and iPhone.
//!
//! From WhatsApp's own string files as collected by the public parser `whats_json` (not
//! checked against an export): the encryption notice `Wiadomości i połączenia są w pełni
//! szyfrowane`, `Ta wiadomość została usunięta`, `Usunąłeś(-ęłaś) tę wiadomość`,
//! `Usunąłeś(aś) tę wiadomość`, `<pliki pominięto>` and the iPhone media placeholders,
//! `(załączony plik)`, `Twój kod zabezpieczeń z użytkownikiem … zmienił się`.
//! Unverified: every membership template below (WhatsApp writes both genders in one form,
//! `dodał(a)`, `usunął(-ęła)`); no real Polish export was found in the public corpus.

use super::{LanguageTable, Meaning::*};
use crate::{Language, MediaKind};

pub(crate) static TABLE: LanguageTable = LanguageTable {
    language: Language::Polish,
    exporter: &["Ty", "ty", "Cię", "cię", "Ciebie", "ciebie"],
    list_and: " i ",
    trailing_hints: &[
        " Stuknij, aby dowiedzieć się więcej.",
        " Dotknij, aby dowiedzieć się więcej.",
    ],
    templates: &[
        (
            EncryptionNotice,
            "Wiadomości i połączenia są w pełni szyfrowane{_}",
        ),
        (Created, "Utworzyłeś(-aś) grupę {group}"),
        (Created, "Utworzyłeś(-aś) tę grupę"),
        (Created, "{by} utworzył(a) tę grupę"),
        (Created, "{by} utworzył(a) grupę {group}"),
        (IconChanged, "Zmieniłeś(-aś) ikonę tej grupy"),
        (IconChanged, "{by} zmienił(a) ikonę tej grupy"),
        (IconDeleted, "Usunąłeś(-ęłaś) ikonę tej grupy"),
        (IconDeleted, "{by} usunął(-ęła) ikonę tej grupy"),
        (DescriptionChanged, "{by} zmienił(a) opis grupy"),
        (DescriptionChanged, "{by} usunął(-ęła) opis grupy"),
        (SubjectChanged, "Zmieniłeś(-aś) temat z {from} na {to}"),
        (SubjectChanged, "Zmieniłeś(-aś) temat na {to}"),
        (SubjectChanged, "{by} zmienił(a) temat z {from} na {to}"),
        (SubjectChanged, "{by} zmienił(a) temat na {to}"),
        (
            SubjectChanged,
            "{by} zmienił(a) nazwę grupy z {from} na {to}",
        ),
        (SubjectChanged, "{by} zmienił(a) nazwę grupy na {to}"),
        (Left, "Opuściłeś(-aś) grupę"),
        (Left, "Wyszedłeś(-szłaś)"),
        (Left, "{who} opuścił(a) grupę"),
        (Left, "{who} wyszedł(-szła)"),
        (Left, "{who} opuścił(a)"),
        (
            JoinedViaLink,
            "Dołączyłeś(-aś) za pomocą linku zaproszenia do tej grupy",
        ),
        (
            JoinedViaLink,
            "{who} dołączył(a) za pomocą linku zaproszenia do tej grupy",
        ),
        (
            JoinedViaLink,
            "{who} dołączył(a) do grupy przez link zaproszenia",
        ),
        (
            JoinedViaInvite,
            "{who} dołączył(a) dzięki Twojemu zaproszeniu",
        ),
        (AdminGranted, "Jesteś teraz administratorem"),
        (AdminGranted, "{who} jest teraz administratorem"),
        (AdminRevoked, "Nie jesteś już administratorem"),
        (AdminRevoked, "{who} nie jest już administratorem"),
        (
            SecurityCodeChanged,
            "Twój kod zabezpieczeń z użytkownikiem {who} zmienił się",
        ),
        (
            NumberChanged,
            "{who} zmienił(a) swój numer telefonu na nowy",
        ),
        (NumberChanged, "{who} zmienił(a) numer na {new}"),
        (AddedUnattributed, "Dodano Cię"),
        (AddedUnattributed, "Dodano {who}"),
        (Added, "Dodałeś(-aś) {who}"),
        (Added, "{by} dodał(a) Cię"),
        (Added, "{by} dodał(a) {who}"),
        (Removed, "Usunąłeś(-ęłaś) {who}"),
        (Removed, "{by} usunął(-ęła) Cię"),
        (Removed, "{by} usunął(-ęła) {who}"),
    ],
    deleted: &[
        "Ta wiadomość została usunięta",
        "Usunąłeś(-ęłaś) tę wiadomość",
        "Usunąłeś(aś) tę wiadomość",
    ],
    media_omitted: &[
        ("<pliki pominięto>", MediaKind::Omitted),
        ("obraz pominięty", MediaKind::Image),
        ("wideo pominięte", MediaKind::Video),
        ("audio pominięte", MediaKind::Audio),
        ("pominięto naklejkę", MediaKind::Sticker),
        ("Plik GIF pominięty", MediaKind::Gif),
        ("dokument pominięty", MediaKind::Document),
        ("Pominięta wizytówka kontaktu", MediaKind::Contact),
    ],
    attached_suffix: " (załączony plik)",
    attached_prefix: "<załączono: ",
    edited: &["<Ta wiadomość została edytowana>"],
};
