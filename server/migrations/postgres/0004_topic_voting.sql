-- Voting on a topic is opened and closed by operators.
ALTER TABLE topics ADD COLUMN open BIGINT NOT NULL DEFAULT 1;
