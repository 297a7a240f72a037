-- The published stories, each as the files of its folder: the same files
-- `kort check` reads on disk, so a story goes into the store and back
-- byte for byte (`kort store copy`).
CREATE TABLE stories (
    slug text PRIMARY KEY,
    -- Raised by every write of the story, in the transaction that writes
    -- it: an instance that has read version n has all of it.
    version bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE story_files (
    slug text NOT NULL REFERENCES stories (slug) ON DELETE CASCADE,
    -- Relative to the story folder: `story.toml`, `layers/events.geojson`.
    path text NOT NULL,
    content bytea NOT NULL,
    PRIMARY KEY (slug, path)
);
