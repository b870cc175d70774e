-- The mayor's mailbox (letters with a private contact, reviewed, replied, published only with
-- consent, rated by their writers) and opinion collections with moderated comments.
CREATE TABLE letters (
    id             INTEGER PRIMARY KEY,
    code           TEXT    NOT NULL UNIQUE,
    kind           TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    name           TEXT,
    phone          TEXT,
    may_publish    INTEGER NOT NULL,
    state          TEXT    NOT NULL,
    unit           TEXT,
    decline_reason TEXT,
    reply          TEXT,
    public_title   TEXT,
    public_text    TEXT,
    rating         TEXT,
    rating_reason  TEXT,
    created_at     INTEGER NOT NULL,
    reviewed_at    INTEGER,
    replied_at     INTEGER,
    published_at   INTEGER,
    rated_at       INTEGER,
    settled_at     INTEGER
);
CREATE INDEX letters_created_at ON letters (created_at, id);
CREATE INDEX letters_state ON letters (state);
CREATE INDEX letters_unit ON letters (unit);

CREATE TABLE consultations (
    id           INTEGER PRIMARY KEY,
    title        TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    opens_at     INTEGER NOT NULL,
    closes_at    INTEGER NOT NULL,
    published    INTEGER NOT NULL DEFAULT 0,
    adopted_note TEXT,
    created_at   INTEGER NOT NULL,
    published_at INTEGER,
    noted_at     INTEGER
);

CREATE TABLE consultation_comments (
    id              INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    body            TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    moderated_at    INTEGER
);
CREATE INDEX consultation_comments_of ON consultation_comments (consultation_id, id);
