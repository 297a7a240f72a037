-- The desk's drafts, shared by every instance: each draft as the files of
-- its folder (as `story_files` keeps a published story), with the desk's
-- record of it (who saved and published which revision, and when; the
-- TOML of `<drafts>/.desk/<slug>.toml`).
CREATE TABLE drafts (
    slug text PRIMARY KEY,
    -- Raised by every save, in the transaction that writes it. A save
    -- names the version it was made from and is refused if the draft is
    -- at another: of two instances saving at once, one wins, the other's
    -- editor gets the desk's conflict.
    version bigint NOT NULL,
    record text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE draft_files (
    slug text NOT NULL REFERENCES drafts (slug) ON DELETE CASCADE,
    path text NOT NULL,
    content bytea NOT NULL,
    PRIMARY KEY (slug, path)
);
