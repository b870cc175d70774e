-- The month's public cycle, up to the choice: the cycle and its planned stages, visitors'
-- proposals, the 12345 hotline counts, the candidates (topics of a month), the votes'
-- channel, representatives' single-use codes (hashed) and the scores frozen when voting
-- closes.
CREATE TABLE cycles (
    month             TEXT    PRIMARY KEY,
    stage             TEXT    NOT NULL,
    created_at        BIGINT NOT NULL,
    w_representatives BIGINT,
    w_public          BIGINT,
    w_hotline         BIGINT,
    w_proposals       BIGINT,
    chosen            TEXT,
    choice_reason     TEXT,
    chosen_at         BIGINT
);

CREATE TABLE cycle_stages (
    month       TEXT    NOT NULL REFERENCES cycles (month),
    stage       TEXT    NOT NULL,
    position    BIGINT NOT NULL,
    planned_day BIGINT NOT NULL,
    entered_at  BIGINT,
    PRIMARY KEY (month, stage)
);

CREATE TABLE proposals (
    code         TEXT    PRIMARY KEY,
    month        TEXT    NOT NULL REFERENCES cycles (month),
    title        TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    district     TEXT    NOT NULL,
    contact      TEXT,
    state        TEXT    NOT NULL,
    reason       TEXT,
    merged_into  TEXT,
    topic        TEXT,
    created_at   BIGINT NOT NULL,
    moderated_at BIGINT
);
CREATE INDEX proposals_month ON proposals (month, created_at);

CREATE TABLE hotline_signals (
    month    TEXT    NOT NULL REFERENCES cycles (month),
    category TEXT    NOT NULL,
    district TEXT    NOT NULL,
    count    BIGINT NOT NULL,
    PRIMARY KEY (month, category, district)
);

CREATE TABLE vote_codes (
    hash  TEXT    PRIMARY KEY,
    month TEXT    NOT NULL REFERENCES cycles (month),
    used  BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE cycle_scores (
    month                TEXT    NOT NULL REFERENCES cycles (month),
    topic                TEXT    NOT NULL,
    representative_votes BIGINT NOT NULL,
    public_votes         BIGINT NOT NULL,
    hotline              BIGINT NOT NULL,
    proposals            BIGINT NOT NULL,
    score_hundredths     BIGINT NOT NULL,
    PRIMARY KEY (month, topic)
);

ALTER TABLE topics ADD COLUMN month TEXT;
ALTER TABLE topics ADD COLUMN lead_unit TEXT;
ALTER TABLE topics ADD COLUMN category TEXT;
CREATE INDEX topics_month ON topics (month);
ALTER TABLE votes ADD COLUMN channel TEXT NOT NULL DEFAULT 'public';
