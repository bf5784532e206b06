//! Turkish (`tr`): Android and iPhone.
//!
//! Verified: `sizi ekledi` (a line of a real Android export quoted in a public repository's
//! debugging script). Listed by a public parser of real Turkish exports (no export seen):
//! `ayrıldı`, `kişisini ekledi`, `artık yöneticisiniz`, `bu mesaj silindi`,
//! `grubuna katıldı`, `sohbet grubunu oluşturdunuz`.
//! From WhatsApp's own string files as collected by the public parser `whats_json` (not
//! checked against an export): the encryption notice `Mesajlar ve aramalar uçtan uca
//! şifrelidir`, `Bu mesaj silindi`, `Bu mesajı sildiniz`, the media placeholders,
//! `(dosya ekli)`, `… ile aranızdaki güvenlik kodu değişti`.
//! Unverified: the other forms below (removal `kişisini çıkardı`, renames, icons, numbers).

use super::{LanguageTable, Meaning::*};
use crate::{Language, MediaKind};

pub(crate) static TABLE: LanguageTable = LanguageTable {
    language: Language::Turkish,
    exporter: &["Siz", "siz", "Sizi", "sizi"],
    list_and: " ve ",
    trailing_hints: &[
        " Daha fazla bilgi edinmek için dokunun.",
        " Daha fazla bilgi için dokunun.",
    ],
    templates: &[
        (
            EncryptionNotice,
            "Mesajlar ve aramalar uçtan uca şifrelidir{_}",
        ),
        (
            EncryptionNotice,
            "Bu gruba gönderdiğiniz mesajlar artık uçtan uca şifreleme ile korunmaktadır{_}",
        ),
        (Created, "{group} grubunu oluşturdunuz"),
        (Created, "Bu grubu oluşturdunuz"),
        (Created, "{by} bu grubu oluşturdu"),
        (Created, "{by}, {group} grubunu oluşturdu"),
        (Created, "{by} {group} grubunu oluşturdu"),
        (IconChanged, "Bu grubun simgesini değiştirdiniz"),
        (IconChanged, "{by} bu grubun simgesini değiştirdi"),
        (IconChanged, "{by} grup resmini değiştirdi"),
        (IconDeleted, "Bu grubun simgesini sildiniz"),
        (IconDeleted, "{by} bu grubun simgesini sildi"),
        (IconDeleted, "{by} grup resmini sildi"),
        (DescriptionChanged, "Grup açıklamasını değiştirdiniz"),
        (DescriptionChanged, "{by} grup açıklamasını değiştirdi"),
        (DescriptionChanged, "{by} grup açıklamasını sildi"),
        (
            SubjectChanged,
            "Grup adını {from} iken {to} olarak değiştirdiniz",
        ),
        (SubjectChanged, "Grup adını {to} olarak değiştirdiniz"),
        (
            SubjectChanged,
            "{by} grup adını {from} iken {to} olarak değiştirdi",
        ),
        (SubjectChanged, "{by} grup adını {to} olarak değiştirdi"),
        (SubjectChanged, "{by} konuyu {to} olarak değiştirdi"),
        (Left, "Gruptan ayrıldınız"),
        (Left, "Ayrıldınız"),
        (Left, "{who} gruptan ayrıldı"),
        (Left, "{who} ayrıldı"),
        (
            JoinedViaLink,
            "Bu grubun davet bağlantısını kullanarak katıldınız",
        ),
        (
            JoinedViaLink,
            "{who} bu grubun davet bağlantısını kullanarak katıldı",
        ),
        (JoinedViaLink, "{who} davet bağlantısıyla gruba katıldı"),
        (JoinedViaInvite, "{who} davetiniz ile katıldı"),
        (AdminGranted, "Artık yöneticisiniz"),
        (AdminGranted, "{who} artık yönetici"),
        (AdminRevoked, "Artık yönetici değilsiniz"),
        (AdminRevoked, "{who} artık yönetici değil"),
        (
            SecurityCodeChanged,
            "{who} ile aranızdaki güvenlik kodu değişti",
        ),
        (
            NumberChanged,
            "{who} telefon numarasını yeni bir numarayla değiştirdi",
        ),
        (NumberChanged, "{who}, {new} numarasına geçti"),
        (AddedUnattributed, "Eklendiniz"),
        (AddedUnattributed, "{who} eklendi"),
        (Added, "{who} kişisini eklediniz"),
        (Added, "{who} kişilerini eklediniz"),
        // Verified: `sizi ekledi`.
        (Added, "{by} sizi ekledi"),
        (Added, "{by}, {who} kişisini ekledi"),
        (Added, "{by}, {who} kişilerini ekledi"),
        (Added, "{by} {who} kişisini ekledi"),
        (Removed, "{who} kişisini çıkardınız"),
        (Removed, "{who} kişilerini çıkardınız"),
        (Removed, "{by} sizi çıkardı"),
        (Removed, "{by}, {who} kişisini çıkardı"),
        (Removed, "{by}, {who} kişilerini çıkardı"),
        (Removed, "{by} {who} kişisini çıkardı"),
    ],
    deleted: &["Bu mesaj silindi", "Bu mesajı sildiniz"],
    media_omitted: &[
        ("<Medya dahil edilmedi>", MediaKind::Omitted),
        ("<Medya atlanmış>", MediaKind::Omitted),
        ("görüntü dahil edilmedi", MediaKind::Image),
        ("video dahil edilmedi", MediaKind::Video),
        ("ses dahil edilmedi", MediaKind::Audio),
        ("Çıkartma dahil edilmedi", MediaKind::Sticker),
        ("GIF dahil edilmedi", MediaKind::Gif),
        ("belge dahil edilmedi", MediaKind::Document),
        ("Kişi kartı dahil edilmedi", MediaKind::Contact),
    ],
    attached_suffix: " (dosya ekli)",
    attached_prefix: "<eklendi: ",
    edited: &["<Bu mesaj düzenlendi>"],
};
