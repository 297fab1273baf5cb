-- The user-service's one table. Owned by user-service: no other service connects to Postgres.
CREATE TABLE IF NOT EXISTS useravail (
    email          TEXT PRIMARY KEY,
    availabilities JSONB NOT NULL,
    preferences    TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
