-- Voting on a topic is opened and closed by operators.
ALTER TABLE topics ADD COLUMN open INTEGER NOT NULL DEFAULT 1;
