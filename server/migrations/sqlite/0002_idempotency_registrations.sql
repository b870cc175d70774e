-- Idempotency keys of POST requests, with the first response to replay.
CREATE TABLE idempotency_keys (
    key          TEXT    PRIMARY KEY,
    request_hash TEXT    NOT NULL,
    status       INTEGER,
    response     TEXT,
    created_at   INTEGER NOT NULL
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

-- Seats taken at kiosks: no personal data.
CREATE TABLE registrations (
    id         INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL REFERENCES events (id),
    code       TEXT    NOT NULL UNIQUE,
    seats      INTEGER NOT NULL CHECK (seats > 0),
    created_at INTEGER NOT NULL
);
CREATE INDEX registrations_event_id ON registrations (event_id);
