-- Lanes: 1 interactive replies, 2 notices, 3 bulk (reminders,
-- summaries, announcements); a later lane never delays an earlier one.
ALTER TABLE outbox ADD COLUMN lane INTEGER NOT NULL DEFAULT 2 CHECK (lane BETWEEN 1 AND 3);
-- After this instant a message not yet sent is dropped (a reminder past its day).
ALTER TABLE outbox ADD COLUMN expires_at TEXT;
-- A sender claims a row before sending it, so no other sender takes it;
-- a claim that outlives its sender runs out at claimed_until.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;
UPDATE outbox SET lane = 3 WHERE key LIKE 'rem:%';
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (channel, lane, id) WHERE status = 'pending';
