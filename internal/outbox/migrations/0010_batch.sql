-- Lines that may go joined in one message (a member's lines to the
-- officers in one handoff), as the JSON of an outbox.Batch: its group, and
-- the head, line and foot the text is made of.
ALTER TABLE outbox ADD COLUMN batch TEXT;
