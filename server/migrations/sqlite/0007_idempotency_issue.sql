-- The issue a key's write filed, so erasing that issue's contact details also drops the
-- part of the key's claim computed from them.
ALTER TABLE idempotency_keys ADD COLUMN issue TEXT;
