-- Hardening: the login throttle (per address+source, per source, per address; keys are
-- SHA-256 hashes, so neither addresses nor client addresses are stored), security events
-- for the administrator, the access log of pupils' pages, the first-run claim, and API
-- token expiry.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    next_allowed_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX login_throttle_updated ON login_throttle(updated_at);
CREATE TABLE security_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX security_events_school ON security_events(school_id, at);
CREATE TABLE access_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
    pupil_id INTEGER NOT NULL REFERENCES pupils(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    page TEXT NOT NULL,
    object_id INTEGER,
    at INTEGER NOT NULL
);
CREATE INDEX access_log_pupil ON access_log(school_id, pupil_id, at);
CREATE INDEX access_log_at ON access_log(at);
CREATE TABLE installation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    created_at INTEGER NOT NULL
);
INSERT INTO installation (id, created_at) SELECT 1, 0 WHERE EXISTS (SELECT 1 FROM users);
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
