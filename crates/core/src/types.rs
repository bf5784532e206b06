//! Validated values: once constructed, a name, e-mail address or role is always valid.

use std::fmt;

macro_rules! id_type {
    ($name:ident, $what:literal) => {
        #[doc = concat!("The database id of a ", $what, ".")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(SchoolId, "school");
id_type!(UserId, "user account");
id_type!(ClassId, "class");
id_type!(PupilId, "pupil");

/// Why a value typed by a person was refused. The message is Dutch-neutral: the web layer
/// translates by [`FieldError::key`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("{field} is empty")]
    Empty { field: &'static str },
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("{field} contains control characters")]
    ControlCharacters { field: &'static str },
    #[error("`{value}` is not an e-mail address")]
    InvalidEmail { value: String },
    #[error(
        "`{value}` is not a role; use administrator, coordinator, confidential_adviser, care_coordinator or teacher"
    )]
    InvalidRole { value: String },
    #[error("`{value}` is not a school type; use po or vo")]
    InvalidSchoolKind { value: String },
}

impl FieldError {
    /// The translation key of this error (see the web crate's `.ftl` files).
    pub fn key(&self) -> &'static str {
        match self {
            FieldError::Empty { .. } => "error-field-empty",
            FieldError::TooLong { .. } => "error-field-too-long",
            FieldError::ControlCharacters { .. } => "error-field-control",
            FieldError::InvalidEmail { .. } => "error-invalid-email",
            FieldError::InvalidRole { .. } => "error-invalid-role",
            FieldError::InvalidSchoolKind { .. } => "error-invalid-school-kind",
        }
    }
}

fn clean_text(
    field: &'static str,
    raw: &str,
    max: usize,
    may_be_empty: bool,
) -> Result<String, FieldError> {
    // Invisible marks go: a class `1A` plus a zero-width space would sit beside `1A` and
    // look the same, and a bidi override makes a name read differently from what it is.
    let visible: String = raw.chars().filter(|c| !is_invisible_format(*c)).collect();
    // Collapse runs of whitespace: names pasted from spreadsheets carry tabs and double spaces.
    let text = visible.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() && !may_be_empty {
        return Err(FieldError::Empty { field });
    }
    if text.chars().count() > max {
        return Err(FieldError::TooLong { field, max });
    }
    if text.chars().any(char::is_control) {
        return Err(FieldError::ControlCharacters { field });
    }
    Ok(text)
}

/// Characters that show nothing but change how text reads or compares: zero-width
/// spaces and joiners, bidirectional marks, embeddings, overrides and isolates, the word
/// joiner and invisible operators, the byte-order mark, the soft hyphen, and the Arabic
/// letter and Mongolian vowel separators.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

macro_rules! text_type {
    ($name:ident, $field:literal, $max:literal, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn new(raw: &str) -> Result<Self, FieldError> {
                clean_text($field, raw, $max, false).map(Self)
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_type!(
    PersonName,
    "name",
    100,
    "A person's name part (given name, family name, or a full name): trimmed, 1..=100 characters."
);
text_type!(
    ClassName,
    "class",
    40,
    "A class's name as the school writes it (`2B`, `groep 7`, `H3a`): 1..=40 characters."
);
text_type!(
    SchoolName,
    "school",
    120,
    "A school's name: 1..=120 characters."
);

impl PersonName {
    /// A tussenvoegsel (`van`, `de`, `van der`): may be empty.
    pub fn infix(raw: &str) -> Result<String, FieldError> {
        clean_text("tussenvoegsel", raw, 30, true)
    }
}

/// An e-mail address, lower-cased; the login name.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn new(raw: &str) -> Result<Email, FieldError> {
        let value = raw.trim().to_lowercase();
        let invalid = || FieldError::InvalidEmail {
            value: raw.chars().take(80).collect(),
        };
        let (local, domain) = value.split_once('@').ok_or_else(invalid)?;
        if local.is_empty()
            || domain.is_empty()
            || !domain.contains('.')
            || value.len() > 254
            || value.chars().any(|c| {
                c.is_whitespace()
                    || c.is_control()
                    || is_invisible_format(c)
                    || c == '<'
                    || c == '>'
            })
            || domain.contains('@')
        {
            return Err(invalid());
        }
        Ok(Email(value))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

// Addresses are personal data: debug output shows only the domain.
impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let domain = self.0.split_once('@').map(|(_, d)| d).unwrap_or("");
        write!(f, "Email(***@{domain})")
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an account may do. See [`crate::Platform`] for the rules per role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// beheerder: accounts, classes, pupils, import.
    Administrator,
    /// anti-pestcoördinator: sees every class of the school.
    Coordinator,
    /// vertrouwenspersoon.
    ConfidentialAdviser,
    /// zorgcoördinator / intern begeleider.
    CareCoordinator,
    /// mentor / leerkracht / docent: sees only the classes assigned to them.
    Teacher,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Administrator,
        Role::Coordinator,
        Role::ConfidentialAdviser,
        Role::CareCoordinator,
        Role::Teacher,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Coordinator => "coordinator",
            Role::ConfidentialAdviser => "confidential_adviser",
            Role::CareCoordinator => "care_coordinator",
            Role::Teacher => "teacher",
        }
    }

    pub fn parse(raw: &str) -> Result<Role, FieldError> {
        let wanted = raw.trim().to_lowercase().replace('-', "_");
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == wanted)
            .ok_or_else(|| FieldError::InvalidRole {
                value: raw.chars().take(40).collect(),
            })
    }

    /// Whether this role sees every class of its school (a teacher sees only their own).
    pub fn sees_all_classes(self) -> bool {
        self != Role::Teacher
    }

    /// Whether this role manages accounts, classes and pupils.
    pub fn manages_school(self) -> bool {
        self == Role::Administrator
    }
}

/// Primary (basisonderwijs, "groep") or secondary (voortgezet onderwijs, "klas").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchoolKind {
    Primary,
    Secondary,
}

impl SchoolKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SchoolKind::Primary => "po",
            SchoolKind::Secondary => "vo",
        }
    }
    pub fn parse(raw: &str) -> Result<SchoolKind, FieldError> {
        match raw.trim().to_lowercase().as_str() {
            "po" | "primary" | "basisonderwijs" => Ok(SchoolKind::Primary),
            "vo" | "secondary" | "voortgezet onderwijs" => Ok(SchoolKind::Secondary),
            _ => Err(FieldError::InvalidSchoolKind {
                value: raw.chars().take(40).collect(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_collapsed_and_refused_when_empty_or_too_long() {
        assert_eq!(
            PersonName::new("  Mila \t de  Vries ").map(|n| n.to_string()),
            Ok("Mila de Vries".into())
        );
        assert!(matches!(
            PersonName::new("   "),
            Err(FieldError::Empty { .. })
        ));
        assert!(matches!(
            PersonName::new(&"a".repeat(101)),
            Err(FieldError::TooLong { .. })
        ));
        assert!(matches!(
            ClassName::new("2B\u{7}"),
            Err(FieldError::ControlCharacters { .. })
        ));
    }

    #[test]
    fn email_is_lowercased_and_debug_hides_the_person() {
        let email = Email::new(" Juf.Anouk@School.NL ").map_err(|e| e.to_string());
        assert_eq!(email.as_ref().map(Email::as_str), Ok("juf.anouk@school.nl"));
        assert_eq!(
            email.map(|e| format!("{e:?}")),
            Ok("Email(***@school.nl)".into())
        );
        assert!(Email::new("geen-adres").is_err());
        assert!(Email::new("a@b").is_err());
    }

    #[test]
    fn roles_parse_from_their_contract_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert_eq!(Role::parse("care-coordinator"), Ok(Role::CareCoordinator));
        assert!(Role::parse("directeur").is_err());
    }
}

#[cfg(test)]
mod invisible_tests {
    use super::*;

    #[test]
    fn invisible_marks_are_cleaned_from_names_and_refused_in_addresses() {
        assert_eq!(
            ClassName::new("1A\u{200B}").map(|c| c.to_string()),
            Ok("1A".to_string())
        );
        assert_eq!(
            PersonName::new("\u{202E}aliM\u{202C}").map(|c| c.to_string()),
            Ok("aliM".to_string())
        );
        assert_eq!(
            PersonName::new("Sanne\u{2066} \u{2069}de\u{FEFF} Vries").map(|c| c.to_string()),
            Ok("Sanne de Vries".to_string())
        );
        assert!(matches!(
            PersonName::new("\u{200B}\u{200D}"),
            Err(FieldError::Empty { .. })
        ));
        assert!(Email::new("juf\u{200B}@school.example").is_err());
    }
}
