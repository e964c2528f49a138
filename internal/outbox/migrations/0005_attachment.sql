-- A file sent with a message (a member's transfer proof shown to the
-- officers), as the JSON of a channel.Attachment; the text is its caption.
ALTER TABLE outbox ADD COLUMN attachment TEXT;
