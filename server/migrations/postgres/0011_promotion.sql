-- A letter or a comment promoted by a moderator to a proposal for a month's topic, linked
-- both ways: the proposal keeps where it came from, the letter and the comment its code.
ALTER TABLE proposals ADD COLUMN origin_letter TEXT;
ALTER TABLE proposals ADD COLUMN origin_collection BIGINT;
ALTER TABLE proposals ADD COLUMN origin_comment BIGINT;
ALTER TABLE letters ADD COLUMN proposal TEXT;
ALTER TABLE consultation_comments ADD COLUMN proposal TEXT;
