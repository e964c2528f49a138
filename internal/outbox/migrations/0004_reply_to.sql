-- The platform id of the message an item answers (a member's answer posted
-- under their request's announcement), NULL for none. Numbered apart from
-- the delivery lanes' migrations, which are written at the same time.
ALTER TABLE outbox ADD COLUMN reply_to TEXT;
