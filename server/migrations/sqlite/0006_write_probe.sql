-- Readiness writes here (and rolls back) to learn whether the database can take a write.
CREATE TABLE write_probe (
    data TEXT NOT NULL
);
