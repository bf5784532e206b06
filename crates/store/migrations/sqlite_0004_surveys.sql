-- Class surveys (rounds, pupil codes, answers), the school's survey settings, and the
-- yearly anonymous monitor. Rows about a pupil go with the pupil (ON DELETE CASCADE).
CREATE TABLE survey_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('ratings', 'nominations')),
    scale INTEGER,
    questions TEXT NOT NULL,
    max_choices INTEGER,
    opens_on TEXT NOT NULL,
    closes_on TEXT,
    closed_at INTEGER,
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX survey_rounds_class ON survey_rounds(school_id, class_id);
-- The code is the pupil's credential; kept so the mentor can print the slips again.
CREATE TABLE survey_codes (
    code TEXT PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    round_id INTEGER NOT NULL REFERENCES survey_rounds(id) ON DELETE CASCADE,
    pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
    answered_at INTEGER,
    UNIQUE (round_id, pupil_id)
);
CREATE INDEX survey_codes_round ON survey_codes(school_id, round_id);
CREATE TABLE survey_answers (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    round_id INTEGER NOT NULL REFERENCES survey_rounds(id) ON DELETE CASCADE,
    from_pupil INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
    to_pupil INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (round_id, from_pupil, question, to_pupil)
);
CREATE TABLE survey_settings (
    school_id INTEGER PRIMARY KEY REFERENCES schools(id),
    allow_negative INTEGER NOT NULL,
    coordinator_sees_answers INTEGER NOT NULL,
    alpha TEXT NOT NULL
);
-- The monitor: codes belong to a class, never to a pupil; an answer holds its class only.
CREATE TABLE monitor_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    title TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    closed_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE TABLE monitor_codes (
    code TEXT PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    round_id INTEGER NOT NULL REFERENCES monitor_rounds(id) ON DELETE CASCADE,
    class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE
);
CREATE INDEX monitor_codes_round ON monitor_codes(school_id, round_id);
CREATE TABLE monitor_answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    round_id INTEGER NOT NULL REFERENCES monitor_rounds(id) ON DELETE CASCADE,
    class_id INTEGER REFERENCES classes(id) ON DELETE SET NULL,
    answers TEXT NOT NULL
);
CREATE INDEX monitor_answers_round ON monitor_answers(school_id, round_id);
