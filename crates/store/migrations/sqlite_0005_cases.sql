-- Case files (pestdossiers): the case, the teachers added to it, the people involved, steps,
-- agreements and their checks, every opening of the case page; pupils' birth dates and
-- parents' addresses for letters; the school's letter templates; and the jobs table the
-- background runner claims work from (shared by every capability).
CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
    owner_id INTEGER NOT NULL REFERENCES users(id),
    opened_by INTEGER NOT NULL REFERENCES users(id),
    origin TEXT NOT NULL,
    origin_ref INTEGER,
    summary TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    opened_on TEXT NOT NULL,
    closed_outcome TEXT,
    closed_note TEXT,
    closed_on TEXT,
    closed_by INTEGER REFERENCES users(id),
    closed_at INTEGER
);
CREATE INDEX cases_school ON cases(school_id, pupil_id);
CREATE INDEX cases_owner ON cases(school_id, owner_id);
CREATE TABLE case_members (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_members_user ON case_members(school_id, user_id);
CREATE TABLE case_people (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    pupil_id INTEGER REFERENCES pupils(id) ON DELETE CASCADE,
    outside_name TEXT,
    role TEXT NOT NULL
);
CREATE INDEX case_people_case ON case_people(school_id, case_id);
CREATE TABLE case_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    note TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX case_steps_case ON case_steps(school_id, case_id);
CREATE TABLE case_step_pupils (
    step_id INTEGER NOT NULL REFERENCES case_steps(id) ON DELETE CASCADE,
    pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
    PRIMARY KEY (step_id, pupil_id)
);
CREATE TABLE case_agreements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    check_on TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX case_agreements_case ON case_agreements(school_id, case_id);
CREATE TABLE case_agreement_pupils (
    agreement_id INTEGER NOT NULL REFERENCES case_agreements(id) ON DELETE CASCADE,
    pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
    PRIMARY KEY (agreement_id, pupil_id)
);
CREATE TABLE case_checks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    agreement_id INTEGER NOT NULL REFERENCES case_agreements(id) ON DELETE CASCADE,
    on_date TEXT NOT NULL,
    outcome TEXT NOT NULL,
    note TEXT NOT NULL,
    next_check_on TEXT,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX case_checks_agreement ON case_checks(school_id, agreement_id);
CREATE TABLE case_views (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    at INTEGER NOT NULL
);
CREATE INDEX case_views_case ON case_views(school_id, case_id);
CREATE TABLE case_parent_talks (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
    decision TEXT NOT NULL,
    note TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (case_id, pupil_id)
);
ALTER TABLE pupils ADD COLUMN birth_date TEXT;
CREATE TABLE pupil_parents (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    PRIMARY KEY (pupil_id, email)
);
CREATE TABLE letter_templates (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    kind TEXT NOT NULL,
    lang TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (school_id, kind, lang)
);
-- Background work (see erbij_core::jobs). dedupe_key makes scheduling idempotent.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER REFERENCES schools(id),
    kind TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_until INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE INDEX jobs_due ON jobs(state, due_at);
