-- The platform's id for a sent message, where the channel tells it: a reply
-- to that message names it, and this finds what was replied to.
ALTER TABLE outbox ADD COLUMN platform_id TEXT;
CREATE INDEX outbox_platform ON outbox (channel, chat, platform_id) WHERE platform_id IS NOT NULL;
