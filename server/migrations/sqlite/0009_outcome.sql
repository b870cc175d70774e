-- What follows a month's choice: the executive meeting (an event with invited seats; its
-- registrations may wait on a list, carry a single-use check-in code and, once checked in,
-- a private opinion), the decision and its measures with dated progress updates, and the
-- visitors' evaluations.
CREATE TABLE meetings (
    month         TEXT    PRIMARY KEY REFERENCES cycles (month),
    event_id      INTEGER NOT NULL REFERENCES events (id),
    invited_seats INTEGER NOT NULL CHECK (invited_seats >= 0),
    set_at        INTEGER NOT NULL
);

ALTER TABLE registrations ADD COLUMN state TEXT NOT NULL DEFAULT 'admitted';
ALTER TABLE registrations ADD COLUMN checkin_code TEXT;
ALTER TABLE registrations ADD COLUMN checked_in_at INTEGER;
ALTER TABLE registrations ADD COLUMN opinion TEXT;
ALTER TABLE registrations ADD COLUMN opinion_at INTEGER;
CREATE UNIQUE INDEX registrations_checkin_code ON registrations (checkin_code);
CREATE INDEX registrations_event_state ON registrations (event_id, state, id);

CREATE TABLE decisions (
    month      TEXT    PRIMARY KEY REFERENCES cycles (month),
    summary_zh TEXT    NOT NULL,
    summary_en TEXT    NOT NULL,
    lead_unit  TEXT    NOT NULL,
    decided_at INTEGER NOT NULL
);

CREATE TABLE measures (
    id         INTEGER PRIMARY KEY,
    month      TEXT    NOT NULL REFERENCES cycles (month),
    title      TEXT    NOT NULL,
    owner_unit TEXT    NOT NULL,
    due_day    INTEGER NOT NULL,
    status     TEXT    NOT NULL,
    percent    INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
    follow_up  INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX measures_month ON measures (month, id);

CREATE TABLE measure_updates (
    id         INTEGER PRIMARY KEY,
    measure_id INTEGER NOT NULL REFERENCES measures (id),
    day        INTEGER NOT NULL,
    body       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX measure_updates_measure ON measure_updates (measure_id, id);

CREATE TABLE evaluations (
    id         INTEGER PRIMARY KEY,
    month      TEXT    NOT NULL REFERENCES cycles (month),
    outcome    TEXT    NOT NULL,
    stars      INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    created_at INTEGER NOT NULL
);
CREATE INDEX evaluations_month ON evaluations (month);
