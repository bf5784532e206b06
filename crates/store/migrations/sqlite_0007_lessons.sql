-- lessons (issue 13): the school's own dilemmas, hidden bank dilemmas, live dilemma sessions
-- (totals only, no vote rows), class agreement rounds. Device traces (participants,
-- voters) hold only a salted SHA-256 of a random cookie and are deleted when a session or
-- round ends.
CREATE TABLE school_dilemmas (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    created_by INTEGER NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    situation TEXT NOT NULL,
    choices TEXT NOT NULL,
    questions TEXT NOT NULL,
    ages TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX school_dilemmas_school ON school_dilemmas(school_id);
CREATE TABLE hidden_dilemmas (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    dilemma_id INTEGER NOT NULL,
    hidden_by INTEGER NOT NULL REFERENCES users(id),
    hidden_at INTEGER NOT NULL,
    PRIMARY KEY (school_id, dilemma_id)
);
CREATE TABLE dilemma_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    class_id INTEGER NOT NULL REFERENCES classes(id),
    created_by INTEGER NOT NULL REFERENCES users(id),
    join_code TEXT UNIQUE,
    dilemma_ids TEXT NOT NULL,
    position INTEGER NOT NULL,
    phase TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ended_at INTEGER
);
CREATE INDEX dilemma_sessions_class ON dilemma_sessions(school_id, class_id);
CREATE INDEX dilemma_sessions_live ON dilemma_sessions(expires_at) WHERE ended_at IS NULL;
CREATE TABLE dilemma_tallies (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    session_id INTEGER NOT NULL REFERENCES dilemma_sessions(id) ON DELETE CASCADE,
    dilemma_id INTEGER NOT NULL,
    choice INTEGER NOT NULL,
    votes INTEGER NOT NULL,
    PRIMARY KEY (session_id, dilemma_id, choice)
);
CREATE TABLE dilemma_participants (
    session_id INTEGER NOT NULL REFERENCES dilemma_sessions(id) ON DELETE CASCADE,
    device_hash TEXT NOT NULL,
    PRIMARY KEY (session_id, device_hash)
);
CREATE TABLE dilemma_voters (
    session_id INTEGER NOT NULL REFERENCES dilemma_sessions(id) ON DELETE CASCADE,
    dilemma_id INTEGER NOT NULL,
    device_hash TEXT NOT NULL,
    PRIMARY KEY (session_id, dilemma_id, device_hash)
);
CREATE TABLE agreement_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    class_id INTEGER NOT NULL REFERENCES classes(id),
    created_by INTEGER NOT NULL REFERENCES users(id),
    join_code TEXT UNIQUE,
    phase TEXT NOT NULL,
    votes_per_pupil INTEGER NOT NULL,
    opened_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    settled_at INTEGER,
    review_on TEXT
);
CREATE INDEX agreement_rounds_class ON agreement_rounds(school_id, class_id);
CREATE TABLE agreement_proposals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    round_id INTEGER NOT NULL REFERENCES agreement_rounds(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    by_teacher INTEGER NOT NULL,
    votes INTEGER NOT NULL,
    chosen INTEGER NOT NULL
);
CREATE INDEX agreement_proposals_round ON agreement_proposals(school_id, round_id);
CREATE TABLE agreement_devices (
    round_id INTEGER NOT NULL REFERENCES agreement_rounds(id) ON DELETE CASCADE,
    device_hash TEXT NOT NULL,
    proposals INTEGER NOT NULL,
    voted INTEGER NOT NULL,
    PRIMARY KEY (round_id, device_hash)
);
