-- Each editor's refused save (the desk's conflict: their version of the
-- story's fields and article, as JSON), kept until they save again, so
-- that whichever instance they open the story on next shows it.
CREATE TABLE desk_held (
    name text NOT NULL,
    slug text NOT NULL,
    conflict text NOT NULL,
    held_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name, slug)
);

CREATE INDEX desk_held_by_held_at ON desk_held (held_at);
