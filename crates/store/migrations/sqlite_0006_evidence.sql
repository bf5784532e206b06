-- Evidence (issue 12): the files on a case or a pupil's report (their bytes live encrypted in
-- the vault on disk, named by `blob`; never here), the hash-chained custody log per case, the
-- school's public code for the report page, and pupils' reports (Meld het). No IP address
-- is stored, for any report.
CREATE TABLE evidence_school_codes (
    school_id INTEGER PRIMARY KEY REFERENCES schools(id) ON DELETE CASCADE,
    code TEXT NOT NULL UNIQUE
);
CREATE TABLE evidence_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
    received_at INTEGER NOT NULL,
    what TEXT NOT NULL,
    reporter_name TEXT,
    reporter_class TEXT,
    read_at INTEGER,
    read_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL
);
CREATE INDEX evidence_reports_school ON evidence_reports(school_id, received_at);
CREATE TABLE evidence_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
    case_id INTEGER REFERENCES cases(id) ON DELETE CASCADE,
    report_id INTEGER REFERENCES evidence_reports(id) ON DELETE CASCADE,
    blob TEXT NOT NULL,
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    description TEXT NOT NULL,
    made_on TEXT,
    handed_in_by TEXT NOT NULL,
    exporter TEXT,
    uploaded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    uploaded_at INTEGER NOT NULL,
    corrects INTEGER REFERENCES evidence_files(id) ON DELETE SET NULL
);
CREATE INDEX evidence_files_case ON evidence_files(school_id, case_id);
CREATE INDEX evidence_files_report ON evidence_files(school_id, report_id);
CREATE TABLE evidence_custody (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    evidence_id INTEGER,
    action TEXT NOT NULL,
    canonical TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (case_id, seq)
);
CREATE INDEX evidence_custody_case ON evidence_custody(school_id, case_id, seq);
