-- A Tolak press waits for its reason on any card that moves a member's
-- money, a transfer proof's (BT-17) or a withdrawal's (W-12): the wait
-- names the card by its ref instead of a proof id. Waits under way are
-- kept.
CREATE TABLE payment_reason_wait_ref (
	officer_id TEXT NOT NULL,
	channel    TEXT NOT NULL,
	chat       TEXT NOT NULL,
	ref        TEXT NOT NULL,
	message_id TEXT NOT NULL DEFAULT '',
	at         TEXT NOT NULL,
	PRIMARY KEY (officer_id, channel, chat)
) STRICT, WITHOUT ROWID;
INSERT INTO payment_reason_wait_ref (officer_id, channel, chat, ref, message_id, at)
	SELECT officer_id, channel, chat, 'BT-' || proof_id, message_id, at FROM payment_reason_wait;
DROP TABLE payment_reason_wait;
ALTER TABLE payment_reason_wait_ref RENAME TO payment_reason_wait;
