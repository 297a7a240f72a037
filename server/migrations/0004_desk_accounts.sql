-- The desk's accounts, shared by every instance (`kort user …` with
-- KORT_STORE set): names, roles and Argon2id password hashes in the PHC
-- format, never a password.
CREATE TABLE desk_accounts (
    name text PRIMARY KEY,
    role text NOT NULL CHECK (role IN ('editor', 'publisher')),
    password_hash text NOT NULL,
    added_at timestamptz NOT NULL DEFAULT now()
);
