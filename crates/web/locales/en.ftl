# erbij — English. `$kind` is po (primary: "group") or vo (secondary: "class").
skip-to-content = Skip to content
switch-language = Nederlands
nav-label = Main menu
nav-home = Home
nav-classes = { $kind ->
    [po] Groups
   *[other] Classes
    }
nav-import = Import pupils
nav-users = Accounts
nav-account = My account
nav-logout = Log out
footer-help = erbij helps see and stop exclusion. Help for pupils: De Kindertelefoon 0800‑0432 (free).
actions = Actions
edit = Edit
save = Save
cancel = Cancel

login-title = Log in
login-intro = Log in with the e-mail address and password of your school account.
login-submit = Log in
field-email = E-mail address
field-password = Password
field-current-password = Current password
field-new-password = New password
password-hint = At least 10 characters. A sentence of a few words is strong and easy to remember.

setup-title = Set up erbij
setup-intro = There is no account yet. Create the school and the first account: the administrator's.
setup-submit = Create school and administrator
field-school-name = School name
field-school-kind = Kind of school
school-kind-po = Primary school (groups)
school-kind-vo = Secondary school (classes)
field-your-name = Your name

home-title = Home
home-welcome = Welcome, { $name }
home-your-classes = { $kind ->
    [po] Your groups
   *[other] Your classes
    }
home-no-classes = { $kind ->
    [po] No groups are assigned to you yet.
   *[other] No classes are assigned to you yet.
    } The administrator assigns them.
home-admin-tasks = Administration

role-administrator = administrator
role-coordinator = anti-bullying coordinator
role-confidential-adviser = confidential adviser
role-care-coordinator = care coordinator
role-teacher = { $kind ->
    [po] teacher
   *[other] mentor / teacher
    }
field-role = Role

classes-title = { $kind ->
    [po] Groups
   *[other] Classes
    }
classes-none = { $kind ->
    [po] There are no groups yet.
   *[other] There are no classes yet.
    }
classes-pupils = Pupils
classes-new = { $kind ->
    [po] New group
   *[other] New class
    }
classes-create = Create
class-word = { $kind ->
    [po] Group
   *[other] Class
    }
field-class-name = Name
class-pupil-count = { $count ->
    [one] 1 pupil
   *[other] { $count } pupils
    }
class-export = Download list (CSV)
class-teachers = { $kind ->
    [po] Teachers
   *[other] Mentors and teachers
    }
class-no-teachers = Nobody assigned yet.
class-unassign = Unassign
class-assign-label = Assign account
class-assign = Assign
class-pupils = Pupils
class-no-pupils = No pupils yet.
class-archived = Pupils who left
class-add-pupil = Add a pupil
class-add-pupil-submit = Add
class-rename = { $kind ->
    [po] Rename group
   *[other] Rename class
    }
field-name = Name
field-given-name = Given name
field-infix = Name prefix (tussenvoegsel)
field-family-name = Family name
field-external-id = Pupil number
field-left-on = Left on

classes-archived = Archived
class-archived-on = archived on { $date }
class-archive = { $kind ->
        [po] Archive group
       *[other] Archive class
    }
class-archive-help = { $kind ->
        [po] Does the group no longer exist (end of the school year)? Archive it with the date. Its pupils are kept according to the retention period.
       *[other] Does the class no longer exist (end of the school year)? Archive it with the date. Its pupils are kept according to the retention period.
    }
class-archive-submit = Archive
class-restore = Restore (not archived)
field-archived-on = Archived on
done-class-archived = { $kind ->
        [po] The group was archived.
       *[other] The class was archived.
    }

pupil-left-on = left on { $date }
pupil-archive = Archive pupil
pupil-archive-help = Archive a pupil who leaves the school with the leaving date. The retention period counts from that date.
pupil-archive-submit = Archive
pupil-restore = Restore (did not leave)

import-title = Import pupils
import-intro = Export the pupils from Magister, Somtoday or ParnasSys as a CSV file. You see a preview first; nothing is saved before you confirm. A new import updates existing pupils (by pupil number) and creates no duplicates.
import-file = CSV file
import-file-hint = With columns such as roepnaam, tussenvoegsel, achternaam, { $kind ->
    [po] groep
   *[other] klas
    } and stamnummer. Separators ; and , and UTF-8 or Windows-1252 are recognised.
import-default-class = { $kind ->
    [po] Group
   *[other] Class
    } for rows without one (optional)
import-default-class-hint = Useful when the file holds one { $kind ->
    [po] group
   *[other] class
    } and has no column for it.
import-preview-submit = Show preview
import-preview = Preview
import-nothing-saved = Nothing has been saved yet.
import-summary = { $rows } usable { $rows ->
        [one] row
       *[other] rows
    }, { $errors } { $errors ->
        [one] row
       *[other] rows
    } with an error. Encoding { $encoding }, separator { $separator }.
import-separator-semicolon = semicolon (;)
import-separator-comma = comma (,)
import-separator-tab = tab
import-looks-utf16 = UTF-16 (Unicode text)
import-looks-xlsx = an Excel workbook (.xlsx)
import-looks-xls = an old Excel workbook (.xls)
import-looks-binary = a binary file
import-mapping = Columns
import-column = Column “{ $heading }”
import-remap = Refresh preview
import-errors = { $count ->
    [one] 1 row with an error (skipped)
   *[other] { $count } rows with an error (skipped)
    }
import-rows = { $count ->
    [one] 1 pupil
   *[other] { $count } pupils
    }
import-rows-more = and { $count } more rows.
import-line = Line
import-confirm = { $count ->
    [one] Import 1 pupil
   *[other] Import { $count } pupils
    }
import-done = Import done: { $created ->
        [one] 1 new pupil
       *[other] { $created } new pupils
    }, { $updated } updated, { $classes ->
        [one] 1 new { $kind ->
            [po] group
           *[other] class
        }
       *[other] { $classes } new { $kind ->
            [po] groups
           *[other] classes
        }
    }.
import-plan = After confirming: { $created ->
        [one] 1 new pupil
       *[other] { $created } new pupils
    }, { $updated ->
        [one] 1 existing pupil updated
       *[other] { $updated } existing pupils updated
    }.
import-plan-no-classes = No new { $kind ->
        [po] groups
       *[other] classes
    }.
import-plan-classes = { $count ->
        [one] This { $kind ->
            [po] group
           *[other] class
        } will be created
       *[other] These { $count } { $kind ->
            [po] groups
           *[other] classes
        } will be created
    }: { $classes }.
import-status = What happens
import-status-new = new
import-status-update = update
import-field-parent-email = parent/carer e-mail
import-row-bad-email = Line { $line }: “{ $value }” is not an e-mail address of a parent or carer.
import-field-given-name = given name
import-field-infix = name prefix
import-field-family-name = family name
import-field-class = { $kind ->
    [po] group
   *[other] class
    }
import-field-external-id = pupil number
import-field-ignore = (do not use)
import-row-missing = Line { $line }: { $field } is missing.
import-row-too-long = Line { $line }: { $field } is too long.
import-row-control = Line { $line }: { $field } contains invisible control characters.
import-row-columns = Line { $line }: { $found } columns instead of { $expected }. Is there a separator inside a name?
import-row-duplicate = Line { $line }: this pupil number is also on line { $first }.
import-file-empty = The file is empty.
import-file-not-text = This is not a CSV text file (it looks like { $what }). Save it from Excel as “CSV (delimited)”.
import-file-too-many = The file has more than { $max } rows. Split it, for example per year.
import-file-missing-column = The column “{ $column }” is missing. At least a given name, family name and { $kind ->
    [po] group
   *[other] class
    } are needed. Choose the columns below or fill in a { $kind ->
    [po] group
   *[other] class
    }.

account-title = My account
account-password = Change password
account-password-submit = Change password
account-tokens = API keys
account-tokens-help = With an API key another program can read the { $kind ->
    [po] groups
   *[other] classes
    } and pupils on your behalf. Revoke a key when you no longer use it.
account-token-once = Copy this key now: it is shown only once.
account-token-revoked = revoked
account-token-revoke = Revoke
account-token-create = Create key
field-token-label = What is the key for?

users-title = Accounts
users-new = New account
users-create = Create account
users-password-hint = A temporary password of at least 10 characters; ask your colleague to change it afterwards.

done-class-created = { $kind ->
    [po] The group was created.
   *[other] The class was created.
    }
done-saved = Saved.
done-pupil-added = The pupil was added.
done-archived = The pupil was archived.
done-password-changed = Your password was changed. Other sessions were logged out.
done-token-revoked = The key was revoked.
done-user-created = The account was created.

error-go-home = Go to the home page
error-title-not-found = Not found
error-title-forbidden = No access
error-title-too-large = Too large
error-title-bad-request = That did not work
error-title-internal = Something went wrong
error-not-found = This page does not exist, or you have no access to it.
error-forbidden = Your role does not allow this. Ask your school's administrator.
error-csrf = The form had expired. Go back, reload the page and try again.
error-conflict = That name or address already exists.
error-internal = Something went wrong on our side. Try again in a few minutes; if it keeps failing, tell the administrator.
error-too-large = What you sent is too large. A pupil list may be at most 16 MB.
error-method = This action is not possible here.
error-bad-request = What you sent could not be read. Check the form and try again.
error-unauthorized = Log in first.
error-field-empty = Fill in all required fields.
error-field-too-long = One of the fields is too long.
error-field-control = A field contains invisible control characters.
error-invalid-email = That is not a valid e-mail address.
error-invalid-role = Choose a role from the list.
error-invalid-school-kind = Choose primary or secondary school.
error-invalid-date = That is not a valid date. Write for example 2026-07-17.
error-password-too-short = The password is too short: use at least 10 characters.
error-password-too-long = The password is too long.
error-wrong-password = The current password is wrong.
error-login-failed = E-mail address or password is wrong.
error-login-locked = Too many wrong passwords. Try again in { $minutes } { $minutes ->
    [one] minute
   *[other] minutes
    }.
error-import-expired = The preview has expired. Choose the file again.
