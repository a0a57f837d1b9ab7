-- E-mail (docs/notifications.md "E-mail"): what each user chose to receive, and the mail outbox
-- the leader node sends from.

-- The kinds of mail the user wants; NULL: every kind of their role (the default). And, for
-- procurement, the suppliers whose every status change they want to hear of.
ALTER TABLE users ADD COLUMN mail_kinds text[];
ALTER TABLE users ADD COLUMN follows uuid[] NOT NULL DEFAULT '{}';

-- How far through the events outbox mail has been made. Mail is about what happens after this
-- release: the cursor starts at the newest event.
CREATE TABLE mail_cursor (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    event_id  bigint NOT NULL
);
INSERT INTO mail_cursor (event_id) SELECT coalesce(max(id), 0) FROM events;

-- One message to one person, tried until it is sent or dead. dedupe_key makes one per event
-- and recipient however often a round is repeated.
CREATE TABLE mail_outbox (
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id),
    to_address      text NOT NULL,
    kind            text NOT NULL,
    subject         text NOT NULL,
    body            text NOT NULL,
    dedupe_key      text NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text,
    sent_at         timestamptz,
    dead_at         timestamptz
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at)
    WHERE sent_at IS NULL AND dead_at IS NULL;

-- The assessors' daily digests made: one a day each, whether or not it had anything to tell
-- (then no mail is sent), so a day's digest is looked at once.
CREATE TABLE mail_digests (
    user_id uuid NOT NULL REFERENCES users (id),
    day     date NOT NULL,
    PRIMARY KEY (user_id, day)
);
