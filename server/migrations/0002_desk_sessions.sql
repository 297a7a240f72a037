-- The desk's signed-in sessions, shared by every instance so that a load
-- balancer needs no sticky sessions: the SHA-256 of each session's token
-- (never the token), who, the hash of their account when they signed in,
-- and when they were last seen.
CREATE TABLE desk_sessions (
    digest bytea PRIMARY KEY,
    name text NOT NULL,
    account text NOT NULL,
    last_seen timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX desk_sessions_by_name ON desk_sessions (name, last_seen);
CREATE INDEX desk_sessions_by_last_seen ON desk_sessions (last_seen);
