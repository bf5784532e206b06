//! Spanish (`es`): Android and iPhone, Spain and Latin America (`añadió` / `agregó`).
//!
//! Verified: `te añadió` (a real export with a Mexican phone number, printed by a public R
//! package's documentation).
//! From WhatsApp's own string files as collected by the public parser `whats_json` (not
//! checked against an export): the encryption notice `Los mensajes y las llamadas están
//! cifrados de extremo a extremo`, `Se eliminó este mensaje`, `Eliminaste este mensaje`,
//! `Este mensaje fue eliminado`, `<Archivo omitido>` and the iPhone media placeholders,
//! `Cambió tu código de seguridad con …`.
//! Listed by public parsers as Spanish WhatsApp lines (no real export seen): `creó el grupo`,
//! `añadió a`, `agregó`, `eliminó`, `salió del grupo`, `cambió el asunto`, `cambió la foto
//! del grupo`, `eliminó la foto del grupo`, `se unió usando el enlace de invitación`.
//! Unverified: the exact forms below for the exporter (`Añadiste`, `Eliminaste a`, `Saliste`),
//! admin and number changes.

use super::{LanguageTable, Meaning::*};
use crate::{Language, MediaKind};

pub(crate) static TABLE: LanguageTable = LanguageTable {
    language: Language::Spanish,
    exporter: &["Tú", "tú", "te", "Te"],
    list_and: " y ",
    trailing_hints: &[
        " Toca para obtener más información.",
        " Pulsa para obtener más información.",
        " Toca para más información.",
    ],
    templates: &[
        (
            EncryptionNotice,
            "Los mensajes y las llamadas están cifrados de extremo a extremo{_}",
        ),
        (
            EncryptionNotice,
            "Los mensajes que envías a este grupo ahora están protegidos con cifrado de extremo a extremo{_}",
        ),
        (Created, "Creaste el grupo {group}"),
        (Created, "Creaste este grupo"),
        (Created, "{by} creó este grupo"),
        (Created, "{by} creó el grupo {group}"),
        (IconChanged, "Cambiaste el ícono de este grupo"),
        (IconChanged, "Cambiaste el icono de este grupo"),
        (IconChanged, "{by} cambió el ícono de este grupo"),
        (IconChanged, "{by} cambió el icono de este grupo"),
        (IconChanged, "{by} cambió la foto del grupo"),
        (IconDeleted, "Eliminaste el ícono de este grupo"),
        (IconDeleted, "Eliminaste el icono de este grupo"),
        (IconDeleted, "{by} eliminó el ícono de este grupo"),
        (IconDeleted, "{by} eliminó el icono de este grupo"),
        (IconDeleted, "{by} eliminó la foto del grupo"),
        (DescriptionChanged, "Cambiaste la descripción del grupo"),
        (DescriptionChanged, "{by} cambió la descripción del grupo"),
        (DescriptionChanged, "{by} eliminó la descripción del grupo"),
        (SubjectChanged, "Cambiaste el asunto de {from} a {to}"),
        (SubjectChanged, "Cambiaste el asunto a {to}"),
        (
            SubjectChanged,
            "Cambiaste el nombre del grupo de {from} a {to}",
        ),
        (SubjectChanged, "Cambiaste el nombre del grupo a {to}"),
        (SubjectChanged, "{by} cambió el asunto de {from} a {to}"),
        (SubjectChanged, "{by} cambió el asunto a {to}"),
        (
            SubjectChanged,
            "{by} cambió el nombre del grupo de {from} a {to}",
        ),
        (SubjectChanged, "{by} cambió el nombre del grupo a {to}"),
        (Left, "Saliste del grupo"),
        (Left, "Saliste"),
        (Left, "{who} salió del grupo"),
        (Left, "{who} salió"),
        (
            JoinedViaLink,
            "Te uniste usando el enlace de invitación de este grupo",
        ),
        (
            JoinedViaLink,
            "{who} se unió usando el enlace de invitación de este grupo",
        ),
        (
            JoinedViaLink,
            "{who} se unió al grupo usando el enlace de invitación",
        ),
        (JoinedViaInvite, "{who} se unió usando tu invitación"),
        (AdminGranted, "Ahora eres admin"),
        (AdminGranted, "Ahora eres administrador"),
        (AdminGranted, "{who} ahora es admin"),
        (AdminGranted, "{who} ahora es administrador"),
        (AdminRevoked, "Ya no eres admin"),
        (AdminRevoked, "Ya no eres administrador"),
        (AdminRevoked, "{who} ya no es admin"),
        (AdminRevoked, "{who} ya no es administrador"),
        (
            SecurityCodeChanged,
            "Cambió tu código de seguridad con {who}",
        ),
        (
            NumberChanged,
            "{who} cambió su número de teléfono a un nuevo número",
        ),
        (NumberChanged, "{who} cambió su número a {new}"),
        (NumberChanged, "{who} cambió a {new}"),
        (AddedUnattributed, "Se te añadió"),
        (AddedUnattributed, "Se añadió a {who}"),
        (Added, "Añadiste a {who}"),
        (Added, "Agregaste a {who}"),
        (Added, "{by} te añadió"),
        (Added, "{by} te agregó"),
        (Added, "{by} añadió a {who}"),
        (Added, "{by} agregó a {who}"),
        (Removed, "Eliminaste a {who}"),
        (Removed, "{by} te eliminó"),
        (Removed, "{by} eliminó a {who}"),
    ],
    deleted: &[
        "Se eliminó este mensaje",
        "Este mensaje fue eliminado",
        "Eliminaste este mensaje",
    ],
    media_omitted: &[
        ("<Multimedia omitido>", MediaKind::Omitted),
        ("<Archivo omitido>", MediaKind::Omitted),
        ("imagen omitida", MediaKind::Image),
        ("Video omitido", MediaKind::Video),
        ("audio omitido", MediaKind::Audio),
        ("sticker omitido", MediaKind::Sticker),
        ("GIF omitido", MediaKind::Gif),
        ("documento omitido", MediaKind::Document),
        ("Tarjeta de contacto omitida", MediaKind::Contact),
    ],
    attached_suffix: " (archivo adjunto)",
    attached_prefix: "<adjunto: ",
    edited: &["<Se editó este mensaje>", "<Se editó este mensaje.>"],
};
