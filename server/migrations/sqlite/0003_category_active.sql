-- A category can be retired: hidden from visitors, kept for the issues filed under it.
ALTER TABLE categories ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
