//! Arabic (`ar`): Android and iPhone.
//!
//! From WhatsApp's own string files as collected by the public parser `whats_json` (not
//! checked against an export): the encryption notice `الرسائل والمكالمات مشفرة تمامًا بين
//! الطرفين`, `تم حذف هذه الرسالة`, `لقد حذَفت هذه الرسالة`, `أنت حذفت هذه الرسالة`,
//! `<تم استبعاد الوسائط>` and the iPhone media placeholders, `(الملف مرفق)`.
//! Listed by public parsers as Arabic WhatsApp lines (no real export seen): `أضاف`, `أزال`,
//! `غادر`, `انضم`, `أنشأ المجموعة`.
//! Unverified: every membership template below, in particular the word order (name before
//! the verb). Exports of Arabic phones often write dates in Arabic-Indic digits (`١٥/١/٢٠٢٦`),
//! which the header reader does not read yet; those files are refused as not an export.

use super::{LanguageTable, Meaning::*};
use crate::{Language, MediaKind};

pub(crate) static TABLE: LanguageTable = LanguageTable {
    language: Language::Arabic,
    exporter: &["أنت", "انت"],
    list_and: " و",
    trailing_hints: &[" انقر لمعرفة المزيد.", " انقر هنا لمعرفة المزيد."],
    templates: &[
        (
            EncryptionNotice,
            "الرسائل والمكالمات مشفرة تمامًا بين الطرفين{_}",
        ),
        (Created, "أنشأت المجموعة {group}"),
        (Created, "أنشأت هذه المجموعة"),
        (Created, "{by} أنشأ هذه المجموعة"),
        (Created, "{by} أنشأ المجموعة {group}"),
        (IconChanged, "{by} غيّر صورة هذه المجموعة"),
        (IconChanged, "{by} غير صورة هذه المجموعة"),
        (IconDeleted, "{by} حذف صورة هذه المجموعة"),
        (DescriptionChanged, "{by} غيّر وصف المجموعة"),
        (SubjectChanged, "{by} غيّر اسم المجموعة من {from} إلى {to}"),
        (SubjectChanged, "{by} غيّر اسم المجموعة إلى {to}"),
        (SubjectChanged, "{by} غيّر الموضوع من {from} إلى {to}"),
        (SubjectChanged, "{by} غيّر الموضوع إلى {to}"),
        (Left, "غادرت"),
        (Left, "غادرت المجموعة"),
        (Left, "{who} غادر"),
        (Left, "{who} غادر المجموعة"),
        (
            JoinedViaLink,
            "{who} انضم باستخدام رابط الدعوة الخاص بهذه المجموعة",
        ),
        (JoinedViaLink, "{who} انضم باستخدام رابط الدعوة"),
        (AdminGranted, "أنت الآن مشرف"),
        (AdminGranted, "{who} الآن مشرف"),
        (AdminRevoked, "لم تعد مشرفًا"),
        (AdminRevoked, "{who} لم يعد مشرفًا"),
        (NumberChanged, "{who} غيّر رقمه إلى {new}"),
        (Added, "أضفت {who}"),
        (Added, "{by} أضافك"),
        (Added, "{by} أضاف {who}"),
        (Removed, "أزلت {who}"),
        (Removed, "{by} أزالك"),
        (Removed, "{by} أزال {who}"),
    ],
    deleted: &[
        "تم حذف هذه الرسالة",
        "لقد حذَفت هذه الرسالة",
        "أنت حذفت هذه الرسالة",
    ],
    media_omitted: &[
        ("<تم استبعاد الوسائط>", MediaKind::Omitted),
        ("لم يتم إدراج الصورة", MediaKind::Image),
        ("لم يتم إدراج الفيديوهات", MediaKind::Video),
        ("لم يتم إدراج المقاطع الصوتية", MediaKind::Audio),
        ("تم حذف الملصقات", MediaKind::Sticker),
        ("لم يتم إدراج صورة GIF", MediaKind::Gif),
        ("لم يتم إدراج المستند", MediaKind::Document),
        ("لم يتم إدراج بطاقة جهة اتصال", MediaKind::Contact),
    ],
    attached_suffix: " (الملف مرفق)",
    attached_prefix: "<المُرفق: ",
    edited: &["<تم تعديل هذه الرسالة>"],
};
