-- Reference lists operators keep, routing, operators' accounts and sessions, the audit log.
CREATE TABLE units (
    id       TEXT    PRIMARY KEY,
    name_zh  TEXT    NOT NULL,
    name_en  TEXT    NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    active   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE districts (
    id       TEXT    PRIMARY KEY,
    name_zh  TEXT    NOT NULL,
    name_en  TEXT    NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    active   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE rating_tags (
    id       TEXT    PRIMARY KEY,
    name_zh  TEXT    NOT NULL,
    name_en  TEXT    NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    active   INTEGER NOT NULL DEFAULT 1
);

-- New issues of a category go to its unit; an issue keeps the unit it was routed to.
ALTER TABLE categories ADD COLUMN unit TEXT;
ALTER TABLE issues ADD COLUMN unit TEXT;
ALTER TABLE issues ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
CREATE INDEX issues_unit ON issues (unit, created_at);

CREATE TABLE operators (
    id            INTEGER PRIMARY KEY,
    login         TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    unit          TEXT,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL
);

-- A session is found by the SHA-256 of its cookie; the cookie itself is never stored.
CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    operator_id INTEGER NOT NULL REFERENCES operators (id),
    csrf_token  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    actor  TEXT    NOT NULL,
    action TEXT    NOT NULL,
    issue  TEXT,
    detail TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_issue ON audit_log (issue, id);
CREATE INDEX audit_log_at ON audit_log (at);
