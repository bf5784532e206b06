//! Dutch (`nl`): Android and iPhone.
//!
//! Verified in real exports (minvws-dsa fixtures, 2022): `heeft de groep X gemaakt`,
//! `heeft deze groep aangemaakt`, `heeft u toegevoegd`, `U hebt Y toegevoegd`, `is toegevoegd`,
//! `heeft de groep verlaten`, `U hebt de groep verlaten`, `neemt deel via uw uitnodiging`,
//! `heeft het onderwerp gewijzigd naar “X”`, `heeft de groepsafbeelding gewijzigd`,
//! `U bent nu beheerder`, `U bent nu een beheerder`, the two encryption notices. The others
//! follow WhatsApp's translations in newer versions (`Je hebt …`, `groepsnaam`), and are
//! listed in both the formal (`U hebt`) and informal (`Je hebt`) form.

use super::{LanguageTable, Meaning::*};
use crate::{Language, MediaKind};

pub(crate) static TABLE: LanguageTable = LanguageTable {
    language: Language::Dutch,
    exporter: &["u", "U", "je", "Je", "jij", "Jij"],
    list_and: " en ",
    trailing_hints: &[
        " Tik voor meer informatie.",
        " Tik om te bekijken.",
        " Tik om te wijzigen.",
        " Tik om een bericht te sturen of het nieuwe nummer toe te voegen.",
    ],
    templates: &[
        (
            EncryptionNotice,
            "Berichten en oproepen worden end-to-end versleuteld{_}",
        ),
        (
            EncryptionNotice,
            "Berichten en gesprekken worden end-to-end versleuteld{_}",
        ),
        (
            EncryptionNotice,
            "Berichten die naar deze groep worden verzonden, zijn nu beveiligd met end-to-end-versleuteling{_}",
        ),
        (Created, "U hebt de groep {group} gemaakt"),
        (Created, "Je hebt de groep {group} gemaakt"),
        (Created, "U hebt groep {group} aangemaakt"),
        (Created, "Je hebt groep {group} aangemaakt"),
        (Created, "U hebt deze groep aangemaakt"),
        (Created, "Je hebt deze groep aangemaakt"),
        (Created, "U hebt deze groep gemaakt"),
        (Created, "Je hebt deze groep gemaakt"),
        (Created, "{by} heeft deze groep aangemaakt"),
        (Created, "{by} heeft deze groep gemaakt"),
        (Created, "{by} heeft de groep {group} gemaakt"),
        (Created, "{by} heeft de groep {group} aangemaakt"),
        (Created, "{by} heeft groep {group} aangemaakt"),
        (IconChanged, "U hebt de groepsafbeelding gewijzigd"),
        (IconChanged, "Je hebt de groepsafbeelding gewijzigd"),
        (IconChanged, "{by} heeft de groepsafbeelding gewijzigd"),
        (IconChanged, "{by} heeft het groepspictogram gewijzigd"),
        (
            IconChanged,
            "{by} heeft de afbeelding van deze groep gewijzigd",
        ),
        (IconDeleted, "U hebt de groepsafbeelding verwijderd"),
        (IconDeleted, "Je hebt de groepsafbeelding verwijderd"),
        (IconDeleted, "{by} heeft de groepsafbeelding verwijderd"),
        (IconDeleted, "{by} heeft het groepspictogram verwijderd"),
        (
            IconDeleted,
            "{by} heeft de afbeelding van deze groep verwijderd",
        ),
        (DescriptionChanged, "U hebt de groepsbeschrijving gewijzigd"),
        (
            DescriptionChanged,
            "Je hebt de groepsbeschrijving gewijzigd",
        ),
        (
            DescriptionChanged,
            "U hebt de groepsbeschrijving verwijderd",
        ),
        (
            DescriptionChanged,
            "Je hebt de groepsbeschrijving verwijderd",
        ),
        (
            DescriptionChanged,
            "{by} heeft de groepsbeschrijving gewijzigd",
        ),
        (
            DescriptionChanged,
            "{by} heeft de groepsbeschrijving verwijderd",
        ),
        (
            SubjectChanged,
            "U hebt het onderwerp gewijzigd van {from} naar {to}",
        ),
        (
            SubjectChanged,
            "Je hebt het onderwerp gewijzigd van {from} naar {to}",
        ),
        (SubjectChanged, "U hebt het onderwerp gewijzigd naar {to}"),
        (SubjectChanged, "Je hebt het onderwerp gewijzigd naar {to}"),
        (
            SubjectChanged,
            "U hebt de groepsnaam gewijzigd van {from} naar {to}",
        ),
        (
            SubjectChanged,
            "Je hebt de groepsnaam gewijzigd van {from} naar {to}",
        ),
        (
            SubjectChanged,
            "U hebt de groepsnaam gewijzigd van {from} in {to}",
        ),
        (
            SubjectChanged,
            "Je hebt de groepsnaam gewijzigd van {from} in {to}",
        ),
        (SubjectChanged, "U hebt de groepsnaam gewijzigd naar {to}"),
        (SubjectChanged, "Je hebt de groepsnaam gewijzigd naar {to}"),
        (SubjectChanged, "U hebt de groepsnaam gewijzigd in {to}"),
        (SubjectChanged, "Je hebt de groepsnaam gewijzigd in {to}"),
        (
            SubjectChanged,
            "{by} heeft het onderwerp gewijzigd van {from} naar {to}",
        ),
        (
            SubjectChanged,
            "{by} heeft het onderwerp gewijzigd naar {to}",
        ),
        (
            SubjectChanged,
            "{by} heeft de groepsnaam gewijzigd van {from} naar {to}",
        ),
        (
            SubjectChanged,
            "{by} heeft de groepsnaam gewijzigd van {from} in {to}",
        ),
        (
            SubjectChanged,
            "{by} heeft de groepsnaam gewijzigd naar {to}",
        ),
        (SubjectChanged, "{by} heeft de groepsnaam gewijzigd in {to}"),
        (Left, "U hebt de groep verlaten"),
        (Left, "Je hebt de groep verlaten"),
        (Left, "{who} heeft de groep verlaten"),
        (
            JoinedViaLink,
            "U neemt deel via de uitnodigingslink van deze groep",
        ),
        (
            JoinedViaLink,
            "Je neemt deel via de uitnodigingslink van deze groep",
        ),
        (
            JoinedViaLink,
            "{who} neemt deel via de uitnodigingslink van deze groep",
        ),
        (
            JoinedViaLink,
            "{who} is deelnemer geworden via de uitnodigingslink van deze groep",
        ),
        (
            JoinedViaLink,
            "{who} is lid geworden via de uitnodigingslink van deze groep",
        ),
        (
            JoinedViaLink,
            "{who} is toegetreden via de uitnodigingslink van deze groep",
        ),
        (JoinedViaInvite, "{who} neemt deel via uw uitnodiging"),
        (JoinedViaInvite, "{who} neemt deel via je uitnodiging"),
        (
            JoinedViaInvite,
            "{who} is deelnemer geworden via uw uitnodiging",
        ),
        (
            JoinedViaInvite,
            "{who} is deelnemer geworden via je uitnodiging",
        ),
        (AdminGranted, "U bent nu beheerder"),
        (AdminGranted, "U bent nu een beheerder"),
        (AdminGranted, "Je bent nu beheerder"),
        (AdminGranted, "Je bent nu een beheerder"),
        (AdminGranted, "{who} is nu beheerder"),
        (AdminGranted, "{who} is nu een beheerder"),
        (AdminRevoked, "U bent geen beheerder meer"),
        (AdminRevoked, "Je bent geen beheerder meer"),
        (AdminRevoked, "{who} is geen beheerder meer"),
        (
            SecurityCodeChanged,
            "Uw beveiligingscode met {who} is gewijzigd",
        ),
        (
            SecurityCodeChanged,
            "Je beveiligingscode met {who} is gewijzigd",
        ),
        (
            NumberChanged,
            "{who} heeft het telefoonnummer gewijzigd naar een nieuw nummer",
        ),
        (
            NumberChanged,
            "{who} heeft zijn/haar telefoonnummer gewijzigd naar een nieuw nummer",
        ),
        (
            NumberChanged,
            "{who} heeft zijn/haar nummer gewijzigd naar {new}",
        ),
        (NumberChanged, "{who} is gewijzigd naar {new}"),
        (AddedUnattributed, "U bent toegevoegd"),
        (AddedUnattributed, "Je bent toegevoegd"),
        (AddedUnattributed, "{who} is toegevoegd"),
        (AddedUnattributed, "{who} zijn toegevoegd"),
        (Added, "U hebt {who} toegevoegd"),
        (Added, "Je hebt {who} toegevoegd"),
        (Added, "{by} heeft {who} toegevoegd"),
        (Removed, "U hebt {who} verwijderd"),
        (Removed, "Je hebt {who} verwijderd"),
        (Removed, "{by} heeft {who} verwijderd"),
    ],
    deleted: &[
        "Dit bericht is verwijderd",
        "U hebt dit bericht verwijderd",
        "Je hebt dit bericht verwijderd",
    ],
    media_omitted: &[
        ("<Media weggelaten>", MediaKind::Omitted),
        ("afbeelding weggelaten", MediaKind::Image),
        ("video weggelaten", MediaKind::Video),
        ("audio weggelaten", MediaKind::Audio),
        ("sticker weggelaten", MediaKind::Sticker),
        ("GIF weggelaten", MediaKind::Gif),
        ("document weggelaten", MediaKind::Document),
        ("Contactkaart weggelaten", MediaKind::Contact),
    ],
    attached_suffix: " (bestand bijgevoegd)",
    attached_prefix: "<bijgevoegd: ",
    edited: &["<Dit bericht is bewerkt>", "<Dit bericht werd bewerkt>"],
};
