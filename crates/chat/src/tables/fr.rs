//! French (`fr`): Android and iPhone.
//!
//! From WhatsApp's own string files as collected by the public parser `whats_json` (not
//! checked against an export): the encryption notice `Les messages et les appels sont
//! chiffrés de bout en bout`, `Ce message a été supprimé`, `Vous avez supprimé ce message`,
//! `<Fichier omis>` and the iPhone media placeholders, `(fichier joint)`,
//! `Votre code de sécurité avec … a changé`.
//! Listed by public parsers as French WhatsApp lines (no real export seen): `a créé le
//! groupe`, `a ajouté`, `a retiré`, `a quitté`, `a rejoint en utilisant le lien`,
//! `a modifié le sujet`, `a changé la photo du groupe`, `<Médias omis>`.
//! Unverified: the exact forms below (`Vous avez …`, `vous a …`, admin changes, numbers).
//! No real French group export with membership lines was found in the public corpus
//! (`starkdmi/whats_json` holds a French one-to-one chat only).

use super::{LanguageTable, Meaning::*};
use crate::{Language, MediaKind};

pub(crate) static TABLE: LanguageTable = LanguageTable {
    language: Language::French,
    exporter: &["Vous", "vous"],
    list_and: " et ",
    trailing_hints: &[
        " Appuyez pour en savoir plus.",
        " Appuyez pour afficher.",
        " Appuyez pour modifier.",
    ],
    templates: &[
        (
            EncryptionNotice,
            "Les messages et les appels sont chiffrés de bout en bout{_}",
        ),
        (
            EncryptionNotice,
            "Les messages envoyés dans ce groupe sont désormais protégés avec le chiffrement de bout en bout{_}",
        ),
        (Created, "Vous avez créé le groupe {group}"),
        (Created, "Vous avez créé ce groupe"),
        (Created, "{by} a créé ce groupe"),
        (Created, "{by} a créé le groupe {group}"),
        (IconChanged, "Vous avez changé l’icône de ce groupe"),
        (IconChanged, "Vous avez changé l'icône de ce groupe"),
        (IconChanged, "{by} a changé l’icône de ce groupe"),
        (IconChanged, "{by} a changé l'icône de ce groupe"),
        (IconChanged, "{by} a changé la photo du groupe"),
        (IconChanged, "{by} a modifié la photo du groupe"),
        (IconDeleted, "Vous avez supprimé l’icône de ce groupe"),
        (IconDeleted, "Vous avez supprimé l'icône de ce groupe"),
        (IconDeleted, "{by} a supprimé l’icône de ce groupe"),
        (IconDeleted, "{by} a supprimé l'icône de ce groupe"),
        (IconDeleted, "{by} a supprimé la photo du groupe"),
        (
            DescriptionChanged,
            "Vous avez modifié la description du groupe",
        ),
        (
            DescriptionChanged,
            "{by} a modifié la description du groupe",
        ),
        (
            DescriptionChanged,
            "{by} a supprimé la description du groupe",
        ),
        (
            SubjectChanged,
            "Vous avez modifié le sujet de {from} en {to}",
        ),
        (SubjectChanged, "Vous avez modifié le sujet en {to}"),
        (
            SubjectChanged,
            "Vous avez changé le nom du groupe de {from} en {to}",
        ),
        (SubjectChanged, "Vous avez changé le nom du groupe en {to}"),
        (SubjectChanged, "{by} a modifié le sujet de {from} en {to}"),
        (SubjectChanged, "{by} a changé le sujet de {from} à {to}"),
        (SubjectChanged, "{by} a modifié le sujet en {to}"),
        (SubjectChanged, "{by} a changé le sujet en {to}"),
        (
            SubjectChanged,
            "{by} a changé le nom du groupe de {from} en {to}",
        ),
        (SubjectChanged, "{by} a changé le nom du groupe en {to}"),
        (Left, "Vous êtes parti"),
        (Left, "Vous êtes partie"),
        (Left, "Vous êtes parti(e)"),
        (Left, "Vous avez quitté le groupe"),
        (Left, "Vous avez quitté"),
        (Left, "{who} est parti"),
        (Left, "{who} est partie"),
        (Left, "{who} est parti(e)"),
        (Left, "{who} a quitté le groupe"),
        (Left, "{who} a quitté"),
        (
            JoinedViaLink,
            "Vous avez rejoint ce groupe via le lien d’invitation",
        ),
        (
            JoinedViaLink,
            "{who} a rejoint en utilisant le lien d’invitation de ce groupe",
        ),
        (
            JoinedViaLink,
            "{who} a rejoint en utilisant le lien d'invitation de ce groupe",
        ),
        (
            JoinedViaLink,
            "{who} a rejoint ce groupe via le lien d’invitation",
        ),
        (
            JoinedViaLink,
            "{who} a rejoint ce groupe via le lien d'invitation",
        ),
        (
            JoinedViaInvite,
            "{who} a rejoint le groupe via votre invitation",
        ),
        (AdminGranted, "Vous êtes maintenant admin"),
        (AdminGranted, "Vous êtes désormais admin"),
        (AdminGranted, "{who} est maintenant admin"),
        (AdminGranted, "{who} est désormais admin"),
        (AdminRevoked, "Vous n’êtes plus admin"),
        (AdminRevoked, "Vous n'êtes plus admin"),
        (AdminRevoked, "{who} n’est plus admin"),
        (AdminRevoked, "{who} n'est plus admin"),
        (
            SecurityCodeChanged,
            "Votre code de sécurité avec {who} a changé",
        ),
        (
            NumberChanged,
            "{who} a changé son numéro de téléphone pour un nouveau numéro",
        ),
        (NumberChanged, "{who} a changé son numéro pour {new}"),
        (NumberChanged, "{who} a changé pour {new}"),
        (AddedUnattributed, "Vous avez été ajouté"),
        (AddedUnattributed, "Vous avez été ajoutée"),
        (AddedUnattributed, "Vous avez été ajouté(e)"),
        (AddedUnattributed, "{who} a été ajouté"),
        (AddedUnattributed, "{who} a été ajoutée"),
        (AddedUnattributed, "{who} a été ajouté(e)"),
        (AddedUnattributed, "{who} ont été ajoutés"),
        (Added, "Vous avez ajouté {who}"),
        (Added, "{by} vous a ajouté"),
        (Added, "{by} vous a ajoutée"),
        (Added, "{by} vous a ajouté(e)"),
        (Added, "{by} a ajouté {who}"),
        (Removed, "Vous avez retiré {who}"),
        (Removed, "{by} vous a retiré"),
        (Removed, "{by} vous a retirée"),
        (Removed, "{by} vous a retiré(e)"),
        (Removed, "{by} a retiré {who}"),
    ],
    deleted: &["Ce message a été supprimé", "Vous avez supprimé ce message"],
    media_omitted: &[
        ("<Médias omis>", MediaKind::Omitted),
        ("<Fichier omis>", MediaKind::Omitted),
        ("image absente", MediaKind::Image),
        ("vidéo absente", MediaKind::Video),
        ("audio omis", MediaKind::Audio),
        ("sticker omis", MediaKind::Sticker),
        ("GIF retiré", MediaKind::Gif),
        ("document manquant", MediaKind::Document),
        ("Fiche contact manquante", MediaKind::Contact),
    ],
    attached_suffix: " (fichier joint)",
    attached_prefix: "<pièce jointe: ",
    edited: &["<Ce message a été modifié>"],
};
