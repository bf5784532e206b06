-- Two-factor login, school sign-in (OpenID Connect) and retention.
CREATE TABLE school_settings (
    school_id INTEGER PRIMARY KEY REFERENCES schools(id),
    two_factor_for_all INTEGER NOT NULL DEFAULT 0,
    retention_days INTEGER NOT NULL DEFAULT 730,
    oidc_issuer TEXT,
    oidc_client_id TEXT,
    oidc_client_secret TEXT,
    oidc_create_accounts INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE two_factor (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    secret TEXT,
    confirmed_at INTEGER,
    last_step INTEGER NOT NULL DEFAULT 0,
    grace_started_at INTEGER
);
CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at INTEGER
);
CREATE INDEX recovery_codes_user ON recovery_codes(school_id, user_id);
CREATE TABLE login_challenges (
    token_hash TEXT PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'enrol')),
    attempts INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER NOT NULL
);
CREATE TABLE oidc_requests (
    state_hash TEXT PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE TABLE retention_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    ran_at INTEGER NOT NULL,
    cutoff TEXT NOT NULL,
    pupils_deleted INTEGER NOT NULL,
    files_deleted INTEGER NOT NULL
);
CREATE INDEX retention_runs_school ON retention_runs(school_id, ran_at);
CREATE INDEX pupils_left_on ON pupils(school_id, left_on) WHERE left_on IS NOT NULL;
