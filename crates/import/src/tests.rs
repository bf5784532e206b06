use super::*;

fn messages(p: &Preview) -> Vec<(usize, RowProblem)> {
    p.errors
        .iter()
        .map(|e| (e.line, e.problem.clone()))
        .collect()
}

#[test]
fn magister_export_with_semicolons_and_roepnaam_is_read() {
    let csv = "Stamnummer;Roepnaam;Voornamen;Tussenvoegsel;Achternaam;Klas\n\
               1001;Mila;Mila Johanna;de;Vries;2B\n\
               1002;Yusuf;Yusuf;;Yılmaz;2B\n";
    let p = preview(csv.as_bytes()).map_err(|e| e.to_string());
    let p = p.as_ref().ok();
    assert_eq!(p.map(|p| p.separator), Some(';'));
    let rows = p.map(|p| p.rows.clone()).unwrap_or_default();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (
            rows[0].given_name.as_str(),
            rows[0].infix.as_str(),
            rows[0].family_name.as_str()
        ),
        ("Mila", "de", "Vries")
    );
    assert_eq!(
        (
            rows[0].class_name.as_str(),
            rows[0].external_id.as_str(),
            rows[0].line
        ),
        ("2B", "1001", 2)
    );
}

#[test]
fn parnassys_export_in_windows_1252_with_commas_is_read() {
    let mut bytes = b"leerlingnummer,voornaam,tussenvoegsel,achternaam,groep\n".to_vec();
    bytes.extend_from_slice(b"77,Zo\xeb,van,Dijk,groep 7\n88,Ren\xe9e,,M\xfcller,groep 7\n");
    let p = preview(&bytes).map_err(|e| e.to_string());
    assert_eq!(p.as_ref().map(|p| p.encoding), Ok("Windows-1252"));
    let names: Vec<String> = p
        .map(|p| p.rows.into_iter().map(|r| r.given_name).collect())
        .unwrap_or_default();
    assert_eq!(names, ["Zoë", "Renée"]);
}

#[test]
fn utf8_bom_and_quoted_fields_are_handled() {
    let csv = "\u{feff}roepnaam;achternaam;klas\n\"Anne; Sophie\";\"O'Neill\";3H\n";
    let p = preview(csv.as_bytes()).ok();
    assert_eq!(p.as_ref().map(|p| p.headings[0].as_str()), Some("roepnaam"));
    assert_eq!(
        p.map(|p| p.rows[0].given_name.clone()).as_deref(),
        Some("Anne; Sophie")
    );
}

#[test]
fn missing_columns_are_named() {
    assert_eq!(
        preview(b"voornaam;klas\nMila;2B\n"),
        Err(FileError::MissingColumn("achternaam"))
    );
    assert_eq!(
        preview(b"achternaam;klas\nVries;2B\n"),
        Err(FileError::MissingColumn("roepnaam"))
    );
    assert_eq!(
        preview(b"voornaam;achternaam\nMila;Vries\n"),
        Err(FileError::MissingColumn("klas"))
    );
    assert!(preview_with(b"voornaam;achternaam\nMila;Vries\n", None, "2B").is_ok());
}

#[test]
fn wrong_encodings_and_binaries_are_refused_with_what_they_look_like() {
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("naam".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_eq!(
        preview(&utf16),
        Err(FileError::NotText("UTF-16 (Unicode text)"))
    );
    assert_eq!(
        preview(b"PK\x03\x04rest"),
        Err(FileError::NotText("an Excel workbook (.xlsx)"))
    );
    assert_eq!(preview(b"a\0b"), Err(FileError::NotText("a binary file")));
    assert_eq!(preview(b""), Err(FileError::Empty));
    assert_eq!(preview(b"\n\n"), Err(FileError::Empty));
}

#[test]
fn bad_rows_get_a_line_numbered_error_and_good_rows_survive() {
    let csv = "roepnaam;achternaam;klas;stamnummer\n\
               Mila;Vries;2B;1\n\
               ;Bakker;2B;2\n\
               Sem;Jansen;2B\n\
               Noor;Visser;;4\n\
               Lina;Haddou;2B;1\n\
               \n\
               Finn;de Groot;2B;6\n";
    let p = preview(csv.as_bytes()).ok();
    let p = p.as_ref();
    assert_eq!(
        p.map(|p| p.rows.iter().map(|r| r.line).collect::<Vec<_>>()),
        Some(vec![2, 8])
    );
    assert_eq!(
        p.map(messages),
        Some(vec![
            (3, RowProblem::Missing(Field::GivenName)),
            (
                4,
                RowProblem::WrongColumnCount {
                    found: 3,
                    expected: 4
                }
            ),
            (5, RowProblem::Missing(Field::Class)),
            (6, RowProblem::DuplicateExternalId { first_line: 2 }),
        ])
    );
}

#[test]
fn headings_are_read_even_when_no_column_is_recognised() {
    let found = headings("kolom1;kolom2;Klas\nMila;Vries;2B\n".as_bytes()).ok();
    assert_eq!(
        found.as_ref().map(|(h, _)| h.clone()),
        Some(vec!["kolom1".to_string(), "kolom2".into(), "Klas".into()])
    );
    assert_eq!(
        found.map(|(_, m)| m),
        Some(Mapping(vec![Field::Ignore, Field::Ignore, Field::Class]))
    );
}

#[test]
fn a_mapping_chosen_by_hand_overrides_the_guess() {
    let csv = "kolom1;kolom2;kolom3\nMila;Vries;2B\n";
    assert_eq!(
        preview(csv.as_bytes()),
        Err(FileError::MissingColumn("roepnaam"))
    );
    let mapping = Mapping(vec![Field::GivenName, Field::FamilyName, Field::Class]);
    let p = preview_with(csv.as_bytes(), Some(mapping), "").ok();
    assert_eq!(
        p.map(|p| p.rows[0].family_name.clone()).as_deref(),
        Some("Vries")
    );
}

#[test]
fn a_hundred_thousand_rows_are_read_and_one_more_is_refused() {
    let mut csv = String::from("roepnaam;achternaam;klas;stamnummer\n");
    for i in 0..MAX_ROWS {
        csv.push_str(&format!("Kind{i};Achternaam{i};{};{i}\n", i % 40));
    }
    let p = preview(csv.as_bytes()).ok();
    assert_eq!(
        p.map(|p| (p.rows.len(), p.errors.len())),
        Some((MAX_ROWS, 0))
    );
    csv.push_str("Eén;Teveel;1;x\n");
    assert_eq!(
        preview(csv.as_bytes()),
        Err(FileError::TooManyRows { max: MAX_ROWS })
    );
}

#[test]
fn formula_injection_is_kept_as_data_and_escaped_for_spreadsheets() {
    let csv = "roepnaam;achternaam;klas\n=cmd|' /C calc'!A0;Vries;2B\n";
    let p = preview(csv.as_bytes()).ok();
    let given = p.map(|p| p.rows[0].given_name.clone()).unwrap_or_default();
    assert_eq!(given, "=cmd|' /C calc'!A0");
    assert_eq!(csv_field(&given), "'=cmd|' /C calc'!A0");
    for dangerous in ["+1", "-2", "@SUM(A1)", "\tx"] {
        assert!(escape_formula(dangerous).starts_with('\''), "{dangerous}");
    }
    assert_eq!(
        csv_field("Anne;Sophie \"Fee\""),
        "\"Anne;Sophie \"\"Fee\"\"\""
    );
    assert_eq!(escape_formula("Mila"), "Mila");
}

#[test]
fn every_abbreviation_of_tussenvoegsel_is_recognised() {
    for heading in [
        "Tussenv.",
        "Tussenvoegsel(s)",
        "Voorvoegsel",
        "Voorv.",
        "tussenvoegsels",
        "TUSSENVOEGSEL",
    ] {
        let csv = format!("Roepnaam;{heading};Achternaam;Klas\nRené;de;Bruijn;2B\n");
        let p = preview(csv.as_bytes()).map_err(|e| e.to_string());
        let row = p.as_ref().ok().and_then(|p| p.rows.first());
        assert_eq!(
            row.map(|r| (
                r.given_name.as_str(),
                r.infix.as_str(),
                r.family_name.as_str()
            )),
            Some(("René", "de", "Bruijn")),
            "{heading}: {p:?}"
        );
    }
}

#[test]
fn parents_addresses_are_read_from_every_parent_column() {
    let csv = "Roepnaam;Achternaam;Klas;E-mail ouder 1;E-mail ouder 2;E-mailadres leerling\n\
               Mila;Vries;2B;Ouder.Een@example.nl;ouder2@example.nl;mila@school.example\n\
               Noah;Smit;2B;;;\n\
               Sem;Vos;2B;sem-ouder@example.nl;ouder.een@example.nl;\n";
    let p = preview(csv.as_bytes()).map_err(|e| e.to_string());
    let p = p.as_ref().ok();
    assert_eq!(
        p.map(|p| p.mapping.0.clone()),
        Some(vec![
            Field::GivenName,
            Field::FamilyName,
            Field::Class,
            Field::ParentEmail,
            Field::ParentEmail,
            Field::Ignore,
        ])
    );
    let emails: Vec<Vec<String>> = p
        .map(|p| p.rows.iter().map(|r| r.parent_emails.clone()).collect())
        .unwrap_or_default();
    assert_eq!(
        emails,
        [
            vec![
                "ouder.een@example.nl".to_string(),
                "ouder2@example.nl".to_string()
            ],
            vec![],
            vec![
                "sem-ouder@example.nl".to_string(),
                "ouder.een@example.nl".to_string()
            ],
        ]
    );
    for heading in [
        "e-mail ouder/verzorger",
        "E-mail verzorger 1",
        "Emailadres ouders",
        "ouder e-mail",
    ] {
        assert_eq!(
            auto_mapping(&[heading.to_string()]).0,
            [Field::ParentEmail],
            "{heading}"
        );
    }
}

#[test]
fn a_bad_parent_address_is_an_error_on_its_line() {
    let csv = "roepnaam;achternaam;klas;e-mail ouder/verzorger\n\
               Mila;Vries;2B;ouder@example.nl\n\
               Noah;Smit;2B;geen adres\n\
               Sem;Vos;2B;ouder@@example\n";
    let p = preview(csv.as_bytes()).map_err(|e| e.to_string());
    let p = p.as_ref().ok();
    assert_eq!(p.map(|p| p.rows.len()), Some(1));
    assert_eq!(
        p.map(messages).unwrap_or_default(),
        [
            (
                3,
                RowProblem::BadEmail {
                    value: "geen".to_string()
                }
            ),
            (
                4,
                RowProblem::BadEmail {
                    value: "ouder@@example".to_string()
                }
            ),
        ]
    );
}
