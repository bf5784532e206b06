//! The demo school behind `erbij serve --demo`: fictional, varied Dutch names (Dutch,
//! Dutch-Moroccan, Turkish, Surinamese, Polish, Antillean, Syrian, ... backgrounds), four
//! classes of 25-30 pupils and one account per role. Every name is invented.

use crate::platform::{ImportRow, NewPupil, Platform, SetupError};
use crate::security::{hash_password, new_secret_token};
use crate::{ClassName, Email, NewUser, Role, SchoolKind, SchoolName};

pub const DEMO_SCHOOL: &str = "OSG De Vaart (demo)";

const GIVEN: &[&str] = &[
    "Mila", "Daan", "Fatima", "Sem", "Yusuf", "Noor", "Zofia", "Lucas", "Aylin", "Jayden", "Sanne",
    "Mohamed", "Tess", "Kevin", "Amira", "Finn", "Elif", "Jesse", "Shanti", "Bram", "Julia",
    "Omar", "Lotte", "Wiktor", "Priya", "Thijs", "Naomi", "Emre", "Isa", "Roos", "Anouk", "Rayan",
    "Lieke", "Dewi", "Milan", "Hiba", "Stijn", "Esra", "Ravi", "Femke", "Kacper", "Nora", "Ilias",
    "Zeynep", "Luuk", "Sara", "Gio", "Maud", "Hamza", "Jasmijn", "Rosalie", "Tariq", "Lina",
    "Jurre", "Ayoub", "Charisse", "Oliwia", "Wessel", "Yara", "Nadia",
];

const FAMILY: &[(&str, &str)] = &[
    ("de", "Vries"),
    ("", "Jansen"),
    ("", "El Amrani"),
    ("van", "Dijk"),
    ("", "Yılmaz"),
    ("", "Bakker"),
    ("", "Kowalska"),
    ("", "Visser"),
    ("", "Demir"),
    ("", "Tjon A Fong"),
    ("van den", "Berg"),
    ("", "Haddou"),
    ("de", "Groot"),
    ("", "Sardjoe"),
    ("", "Öztürk"),
    ("", "Mulder"),
    ("", "Nowak"),
    ("van der", "Linden"),
    ("", "Bouzid"),
    ("", "Pinas"),
    ("", "Smit"),
    ("", "Kaya"),
    ("", "Wiśniewski"),
    ("", "Meijer"),
    ("", "Ramdin"),
    ("ter", "Horst"),
    ("", "Al-Hassan"),
    ("", "Doğan"),
    ("", "Martina"),
    ("", "Brouwer"),
    ("", "Benali"),
    ("van", "Leeuwen"),
    ("", "Kasanwirjo"),
    ("", "Şahin"),
    ("", "Hoekstra"),
    ("in 't", "Veld"),
    ("", "Nguyen"),
    ("", "Zielińska"),
    ("", "Akkermans"),
    ("", "Chaouch"),
    ("de", "Jong"),
    ("", "Wijnaldum"),
    ("", "Lewandowski"),
    ("", "Boukhari"),
    ("van", "Beek"),
    ("", "Aydın"),
];

const CLASSES: &[(&str, usize)] = &[("1A", 28), ("2B", 27), ("3H", 26), ("4V", 30)];

/// A demo login, to print at start.
#[derive(Clone)]
pub struct DemoAccount {
    pub email: String,
    pub role: Role,
    pub password: String,
}

impl std::fmt::Debug for DemoAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoAccount")
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

const ACCOUNTS: &[(&str, &str, Role, Option<&str>)] = &[
    (
        "beheer@devaart.example",
        "Ingrid Beheer",
        Role::Administrator,
        None,
    ),
    (
        "apc@devaart.example",
        "Karim Ouali",
        Role::Coordinator,
        None,
    ),
    (
        "vertrouwenspersoon@devaart.example",
        "Els de Wit",
        Role::ConfidentialAdviser,
        None,
    ),
    (
        "zorg@devaart.example",
        "Marloes Kramer",
        Role::CareCoordinator,
        None,
    ),
    (
        "mentor.2b@devaart.example",
        "Dennis Tahiri",
        Role::Teacher,
        Some("2B"),
    ),
    (
        "mentor.1a@devaart.example",
        "Sophie Verbeek",
        Role::Teacher,
        Some("1A"),
    ),
];

/// Pupils of one demo class: distinct names, drawn without repeats from the lists.
fn demo_rows(class: &str, offset: usize, count: usize) -> Vec<ImportRow> {
    let mut rows = Vec::with_capacity(count);
    for i in 0..count {
        let n = offset + i;
        let given = GIVEN[(n * 7) % GIVEN.len()];
        let (infix, family) = FAMILY[(n * 11 + n / FAMILY.len()) % FAMILY.len()];
        let external_id = format!("{}", 240_100 + n);
        let (Ok(class_name), Ok(pupil)) = (
            ClassName::new(class),
            NewPupil::parse(given, infix, family, &external_id),
        ) else {
            continue;
        };
        rows.push(ImportRow { class_name, pupil });
    }
    rows
}

/// Loads the demo school (or refreshes it) and gives every demo account a new random
/// password, returned for printing.
pub fn load_demo(platform: &Platform) -> Result<Vec<DemoAccount>, SetupError> {
    let store = platform.store();
    let school = match platform.find_school(DEMO_SCHOOL)? {
        Some(school) => school,
        None => store.create_school(&SchoolName::new(DEMO_SCHOOL)?, SchoolKind::Secondary)?,
    };
    let mut accounts = Vec::new();
    let mut mentors = Vec::new();
    for (email, name, role, class) in ACCOUNTS {
        let password = new_secret_token()?.chars().take(16).collect::<String>();
        let hash = hash_password(&password)?;
        let email_value = Email::new(email)?;
        let user = match store.user_by_email(&email_value)? {
            Some(user) if user.school_id == school.id => {
                store.set_password_hash(school.id, user.id, &hash)?;
                user
            }
            Some(_) => continue,
            None => store.create_user(&NewUser {
                school_id: school.id,
                email: email_value,
                name: (*name).to_string(),
                role: *role,
                password_hash: hash,
            })?,
        };
        if let Some(class) = class {
            mentors.push((user.id, *class));
        }
        accounts.push(DemoAccount {
            email: (*email).to_string(),
            role: *role,
            password,
        });
    }
    let existing: Vec<String> = store
        .classes(school.id)?
        .into_iter()
        .map(|c| c.name)
        .collect();
    let mut offset = 0;
    let mut rows = Vec::new();
    for (class, count) in CLASSES {
        if !existing.iter().any(|c| c == class) {
            rows.extend(demo_rows(class, offset, *count));
        }
        offset += count;
    }
    store.import_pupils(school.id, &rows)?;
    let classes = store.classes(school.id)?;
    for (user, class_name) in mentors {
        if let Some(class) = classes.iter().find(|c| c.name == class_name) {
            store.assign_teacher(school.id, class.id, user)?;
        }
    }
    // Each capability seeds its own fictional data; each must be idempotent, because
    // `--demo` reloads an existing demo school.
    crate::signals::seed_demo(platform, &school)?;
    crate::surveys::seed_demo(platform, &school)?;
    crate::surveys::monitor::seed_demo(platform, &school)?;
    crate::cases::seed_demo(platform, &school)?;
    crate::evidence::seed_demo(platform, &school)?;
    crate::lessons::seed_demo(platform, &school)?;
    Ok(accounts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_classes_have_25_to_30_distinct_pupils() {
        let mut all = std::collections::HashSet::new();
        let mut offset = 0;
        for (class, count) in CLASSES {
            let rows = demo_rows(class, offset, *count);
            offset += count;
            assert!((25..=30).contains(&rows.len()), "{class}");
            for row in &rows {
                let name = format!(
                    "{} {} {}",
                    row.pupil.given_name, row.pupil.infix, row.pupil.family_name
                );
                assert!(all.insert(name.clone()), "duplicate demo name {name}");
            }
        }
    }
}
