-- The open-month program, issues, ratings and the monthly vote.
CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    title        TEXT    NOT NULL,
    unit         TEXT    NOT NULL,
    district     TEXT    NOT NULL,
    theme        TEXT    NOT NULL,
    place        TEXT    NOT NULL,
    starts_at    INTEGER NOT NULL,
    ends_at      INTEGER NOT NULL,
    capacity     INTEGER NOT NULL CHECK (capacity >= 0),
    registered   INTEGER NOT NULL DEFAULT 0 CHECK (registered >= 0),
    registration INTEGER NOT NULL DEFAULT 1,
    summary      TEXT    NOT NULL DEFAULT '',
    cancelled    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_starts_at ON events (starts_at, id);
CREATE INDEX events_unit ON events (unit);
CREATE INDEX events_district ON events (district);
CREATE INDEX events_theme ON events (theme);

CREATE TABLE categories (
    id       TEXT    PRIMARY KEY,
    name_zh  TEXT    NOT NULL,
    name_en  TEXT    NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE issues (
    id          INTEGER PRIMARY KEY,
    tracking_no TEXT    NOT NULL UNIQUE,
    category    TEXT    NOT NULL REFERENCES categories (id),
    description TEXT    NOT NULL,
    place       TEXT    NOT NULL,
    name        TEXT,
    phone       TEXT,
    status      TEXT    NOT NULL DEFAULT 'received',
    answer      TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX issues_status ON issues (status);
CREATE INDEX issues_created_at ON issues (created_at);

CREATE TABLE ratings (
    id         INTEGER PRIMARY KEY,
    score      INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    tags       TEXT    NOT NULL DEFAULT '',
    unit       TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX ratings_created_at ON ratings (created_at);
CREATE INDEX ratings_unit ON ratings (unit);

CREATE TABLE topics (
    id       TEXT    PRIMARY KEY,
    title_zh TEXT    NOT NULL,
    title_en TEXT    NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE votes (
    id         INTEGER PRIMARY KEY,
    topic      TEXT    NOT NULL REFERENCES topics (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX votes_topic ON votes (topic);
