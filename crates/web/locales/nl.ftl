# erbij — Nederlands (standaard). Woorden volgens GLOSSARY.md; `$kind` is po of vo.
skip-to-content = Naar de inhoud
switch-language = English
nav-label = Hoofdmenu
nav-home = Start
nav-classes = { $kind ->
    [po] Groepen
   *[other] Klassen
    }
nav-import = Leerlingen importeren
nav-users = Accounts
nav-account = Mijn account
nav-logout = Uitloggen
footer-help = erbij helpt buitensluiten te zien en te stoppen. Hulp voor leerlingen: De Kindertelefoon 0800‑0432 (gratis).
actions = Acties
edit = Wijzigen
save = Opslaan
cancel = Annuleren

login-title = Inloggen
login-intro = Log in met het e-mailadres en wachtwoord van je schoolaccount.
login-submit = Inloggen
field-email = E-mailadres
field-password = Wachtwoord
field-current-password = Huidig wachtwoord
field-new-password = Nieuw wachtwoord
password-hint = Minstens 10 tekens. Een zin van een paar woorden is sterk en makkelijk te onthouden.

setup-title = erbij instellen
setup-intro = Er is nog geen account. Maak de school aan en het eerste account: dat van de beheerder.
setup-submit = School en beheerder aanmaken
field-school-name = Naam van de school
field-school-kind = Soort school
school-kind-po = Basisonderwijs (groepen)
school-kind-vo = Voortgezet onderwijs (klassen)
field-your-name = Je naam

home-title = Start
home-welcome = Welkom, { $name }
home-your-classes = { $kind ->
    [po] Jouw groepen
   *[other] Jouw klassen
    }
home-no-classes = { $kind ->
    [po] Er zijn nog geen groepen aan je gekoppeld.
   *[other] Er zijn nog geen klassen aan je gekoppeld.
    } De beheerder koppelt je.
home-admin-tasks = Beheer

role-administrator = beheerder
role-coordinator = anti-pestcoördinator
role-confidential-adviser = vertrouwenspersoon
role-care-coordinator = { $kind ->
    [po] intern begeleider
   *[other] zorgcoördinator
    }
role-teacher = { $kind ->
    [po] leerkracht
   *[other] mentor / docent
    }
field-role = Rol

classes-title = { $kind ->
    [po] Groepen
   *[other] Klassen
    }
classes-none = { $kind ->
    [po] Er zijn nog geen groepen.
   *[other] Er zijn nog geen klassen.
    }
classes-pupils = Leerlingen
classes-new = { $kind ->
    [po] Nieuwe groep
   *[other] Nieuwe klas
    }
classes-create = Aanmaken
class-word = { $kind ->
    [po] Groep
   *[other] Klas
    }
field-class-name = Naam
class-pupil-count = { $count ->
    [one] 1 leerling
   *[other] { $count } leerlingen
    }
class-export = Lijst downloaden (CSV)
class-teachers = { $kind ->
    [po] Leerkrachten
   *[other] Mentoren en docenten
    }
class-no-teachers = Nog niemand gekoppeld.
class-unassign = Ontkoppelen
class-assign-label = Account koppelen
class-assign = Koppelen
class-pupils = Leerlingen
class-no-pupils = Nog geen leerlingen.
class-archived = Vertrokken leerlingen
class-add-pupil = Leerling toevoegen
class-add-pupil-submit = Toevoegen
class-rename = { $kind ->
    [po] Groep hernoemen
   *[other] Klas hernoemen
    }
field-name = Naam
field-given-name = Roepnaam
field-infix = Tussenvoegsel
field-family-name = Achternaam
field-external-id = Leerlingnummer
field-left-on = Vertrokken op

classes-archived = Gearchiveerd
class-archived-on = gearchiveerd op { $date }
class-archive = { $kind ->
        [po] Groep archiveren
       *[other] Klas archiveren
    }
class-archive-help = { $kind ->
        [po] Bestaat de groep niet meer (einde schooljaar)? Archiveer hem met de datum. De leerlingen blijven bewaard volgens de bewaartermijn.
       *[other] Bestaat de klas niet meer (einde schooljaar)? Archiveer hem met de datum. De leerlingen blijven bewaard volgens de bewaartermijn.
    }
class-archive-submit = Archiveren
class-restore = Terugzetten (niet gearchiveerd)
field-archived-on = Gearchiveerd op
done-class-archived = { $kind ->
        [po] De groep is gearchiveerd.
       *[other] De klas is gearchiveerd.
    }

pupil-left-on = vertrokken op { $date }
pupil-archive = Leerling archiveren
pupil-archive-help = Een leerling die van school gaat, archiveer je met de vertrekdatum. De bewaartermijn telt vanaf die datum.
pupil-archive-submit = Archiveren
pupil-restore = Terugzetten (niet vertrokken)

import-title = Leerlingen importeren
import-intro = Exporteer de leerlingen uit Magister, Somtoday of ParnasSys als CSV-bestand. Je ziet eerst een voorbeeld; er wordt niets opgeslagen voordat je bevestigt. Een nieuwe import werkt bestaande leerlingen bij (op leerlingnummer) en maakt geen dubbele.
import-file = CSV-bestand
import-file-hint = Met kolommen als roepnaam, tussenvoegsel, achternaam, { $kind ->
    [po] groep
   *[other] klas
    } en stamnummer. Scheidingsteken ; of , en UTF-8 of Windows-1252 worden herkend.
import-default-class = { $kind ->
    [po] Groep
   *[other] Klas
    } voor rijen zonder { $kind ->
    [po] groep
   *[other] klas
    } (optioneel)
import-default-class-hint = Handig als het bestand één { $kind ->
    [po] groep
   *[other] klas
    } bevat zonder kolom daarvoor.
import-preview-submit = Voorbeeld bekijken
import-preview = Voorbeeld
import-nothing-saved = Er is nog niets opgeslagen.
import-summary = { $rows } bruikbare { $rows ->
        [one] rij
       *[other] rijen
    }, { $errors } { $errors ->
        [one] rij
       *[other] rijen
    } met een fout. Tekenset { $encoding }, scheidingsteken { $separator }.
import-separator-semicolon = puntkomma (;)
import-separator-comma = komma (,)
import-separator-tab = tab
import-looks-utf16 = UTF-16 (Unicode-tekst)
import-looks-xlsx = een Excel-werkmap (.xlsx)
import-looks-xls = een oude Excel-werkmap (.xls)
import-looks-binary = een binair bestand
import-mapping = Kolommen
import-column = Kolom “{ $heading }”
import-remap = Voorbeeld vernieuwen
import-errors = { $count ->
    [one] 1 rij met een fout (wordt overgeslagen)
   *[other] { $count } rijen met een fout (worden overgeslagen)
    }
import-rows = { $count ->
    [one] 1 leerling
   *[other] { $count } leerlingen
    }
import-rows-more = en nog { $count } rijen.
import-line = Regel
import-confirm = { $count ->
    [one] 1 leerling importeren
   *[other] { $count } leerlingen importeren
    }
import-done = Import klaar: { $created ->
        [one] 1 nieuwe leerling
       *[other] { $created } nieuwe leerlingen
    }, { $updated } bijgewerkt, { $classes ->
        [one] 1 nieuwe { $kind ->
            [po] groep
           *[other] klas
        }
       *[other] { $classes } nieuwe { $kind ->
            [po] groepen
           *[other] klassen
        }
    }.
import-plan = Na bevestigen: { $created ->
        [one] 1 nieuwe leerling
       *[other] { $created } nieuwe leerlingen
    }, { $updated ->
        [one] 1 bestaande leerling bijgewerkt
       *[other] { $updated } bestaande leerlingen bijgewerkt
    }.
import-plan-no-classes = Er komen geen { $kind ->
        [po] groepen
       *[other] klassen
    } bij.
import-plan-classes = { $count ->
        [one] Deze { $kind ->
            [po] groep
           *[other] klas
        } wordt aangemaakt
       *[other] Deze { $count } { $kind ->
            [po] groepen
           *[other] klassen
        } worden aangemaakt
    }: { $classes }.
import-status = Wat er gebeurt
import-status-new = nieuw
import-status-update = bijwerken
import-field-parent-email = e-mail ouder/verzorger
import-row-bad-email = Regel { $line }: “{ $value }” is geen e-mailadres van een ouder of verzorger.
import-field-given-name = roepnaam
import-field-infix = tussenvoegsel
import-field-family-name = achternaam
import-field-class = { $kind ->
    [po] groep
   *[other] klas
    }
import-field-external-id = leerlingnummer
import-field-ignore = (niet gebruiken)
import-row-missing = Regel { $line }: { $field } ontbreekt.
import-row-too-long = Regel { $line }: { $field } is te lang.
import-row-control = Regel { $line }: { $field } bevat onzichtbare stuurtekens.
import-row-columns = Regel { $line }: { $found } kolommen in plaats van { $expected }. Staat er een scheidingsteken in een naam?
import-row-duplicate = Regel { $line }: dit leerlingnummer staat ook op regel { $first }.
import-file-empty = Het bestand is leeg.
import-file-not-text = Dit is geen CSV-tekstbestand (het lijkt op { $what }). Sla het in Excel op als “CSV (gescheiden door lijstscheidingsteken)”.
import-file-too-many = Het bestand heeft meer dan { $max } rijen. Splits het, bijvoorbeeld per leerjaar.
import-file-missing-column = De kolom “{ $column }” ontbreekt. Nodig zijn ten minste roepnaam of voornaam, achternaam en { $kind ->
    [po] groep
   *[other] klas
    }. Kies de kolommen hieronder of vul een { $kind ->
    [po] groep
   *[other] klas
    } in.

account-title = Mijn account
account-password = Wachtwoord wijzigen
account-password-submit = Wachtwoord wijzigen
account-tokens = API-sleutels
account-tokens-help = Met een API-sleutel kan een ander programma namens jou de { $kind ->
    [po] groepen
   *[other] klassen
    } en leerlingen lezen. Trek een sleutel in als je hem niet meer gebruikt.
account-token-once = Kopieer deze sleutel nu: hij wordt maar één keer getoond.
account-token-revoked = ingetrokken
account-token-revoke = Intrekken
account-token-create = Sleutel maken
field-token-label = Waarvoor is de sleutel?

users-title = Accounts
users-new = Nieuw account
users-create = Account aanmaken
users-password-hint = Een tijdelijk wachtwoord van minstens 10 tekens; vraag de collega het daarna te wijzigen.

done-class-created = { $kind ->
    [po] De groep is aangemaakt.
   *[other] De klas is aangemaakt.
    }
done-saved = Opgeslagen.
done-pupil-added = De leerling is toegevoegd.
done-archived = De leerling is gearchiveerd.
done-password-changed = Je wachtwoord is gewijzigd. Andere sessies zijn uitgelogd.
done-token-revoked = De sleutel is ingetrokken.
done-user-created = Het account is aangemaakt.

error-go-home = Naar de startpagina
error-title-not-found = Niet gevonden
error-title-forbidden = Geen toegang
error-title-too-large = Te groot
error-title-bad-request = Dat lukte niet
error-title-internal = Er ging iets mis
error-not-found = Deze pagina bestaat niet, of je hebt er geen toegang toe.
error-forbidden = Je rol geeft geen toegang tot deze handeling. Vraag het de beheerder van je school.
error-csrf = Het formulier was verlopen. Ga terug, laad de pagina opnieuw en probeer het nog eens.
error-conflict = Die naam of dat adres bestaat al.
error-internal = Er ging iets mis aan onze kant. Probeer het over een paar minuten opnieuw; blijft het misgaan, meld het dan bij de beheerder.
error-too-large = Wat je stuurde is te groot. Een leerlingenlijst mag hoogstens 16 MB zijn.
error-method = Deze handeling kan hier niet.
error-bad-request = Wat je stuurde kon niet gelezen worden. Controleer het formulier en probeer het opnieuw.
error-unauthorized = Log eerst in.
error-field-empty = Vul alle verplichte velden in.
error-field-too-long = Een van de velden is te lang.
error-field-control = Een veld bevat onzichtbare stuurtekens.
error-invalid-email = Dat is geen geldig e-mailadres.
error-invalid-role = Kies een rol uit de lijst.
error-invalid-school-kind = Kies basisonderwijs of voortgezet onderwijs.
error-invalid-date = Dat is geen geldige datum. Schrijf bijvoorbeeld 17-07-2026.
error-password-too-short = Het wachtwoord is te kort: gebruik minstens 10 tekens.
error-password-too-long = Het wachtwoord is te lang.
error-wrong-password = Het huidige wachtwoord klopt niet.
error-login-failed = E-mailadres of wachtwoord klopt niet.
error-login-locked = Te vaak een verkeerd wachtwoord. Probeer het over { $minutes } { $minutes ->
    [one] minuut
   *[other] minuten
    } opnieuw.
error-import-expired = Het voorbeeld is verlopen. Kies het bestand opnieuw.
