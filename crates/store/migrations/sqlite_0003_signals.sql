-- Signals and early warning (issue 9). A sign belongs to a pupil and goes with them
-- (ON DELETE CASCADE): deleting a pupil deletes their signs, their trace and their class
-- history. `class_id` is the class the pupil was in when the sign was recorded (history,
-- no foreign key: a class may be cleaned up while the sign stays with the pupil).
CREATE TABLE signals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
    class_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    seen_on TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES users(id),
    recorded_at INTEGER NOT NULL,
    withdrawn_at INTEGER,
    withdrawn_by INTEGER REFERENCES users(id)
);
CREATE INDEX signals_pupil ON signals(school_id, pupil_id, seen_on);
CREATE INDEX signals_seen ON signals(school_id, seen_on);
-- The trace of corrections and withdrawals: who, when, and what the sign said before.
CREATE TABLE signal_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    signal_id INTEGER NOT NULL REFERENCES signals(id) ON DELETE CASCADE,
    pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
    action TEXT NOT NULL CHECK (action IN ('corrected', 'withdrawn')),
    changed_by INTEGER NOT NULL REFERENCES users(id),
    changed_at INTEGER NOT NULL,
    old_kind TEXT NOT NULL,
    old_seen_on TEXT NOT NULL,
    old_note TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX signal_changes_pupil ON signal_changes(school_id, pupil_id);
-- The school's own early-warning rules; no row in early_warning_settings means the defaults.
CREATE TABLE early_warning_settings (
    school_id INTEGER PRIMARY KEY REFERENCES schools(id),
    updated_by INTEGER NOT NULL REFERENCES users(id),
    updated_at INTEGER NOT NULL
);
CREATE TABLE early_warning_rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    min_count INTEGER NOT NULL,
    window_days INTEGER NOT NULL,
    signal_kinds TEXT NOT NULL,
    enabled INTEGER NOT NULL
);
CREATE INDEX early_warning_rules_school ON early_warning_rules(school_id, position);
-- A pupil's class history (the timeline): written when a pupil changes class.
CREATE TABLE pupil_class_moves (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
    from_class_id INTEGER NOT NULL,
    to_class_id INTEGER NOT NULL,
    moved_on TEXT NOT NULL,
    moved_at INTEGER NOT NULL,
    moved_by INTEGER REFERENCES users(id)
);
CREATE INDEX pupil_class_moves_pupil ON pupil_class_moves(school_id, pupil_id);
