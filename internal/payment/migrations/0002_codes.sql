-- A payment code (kode unik): what a member was told to transfer, the
-- amount due plus a code of 1 to 999 Rupiah, so a line of the bank
-- statement with exactly that amount is known to be theirs. The parts
-- say how a matched transfer is booked. kopbot never lets two codes with
-- one amount be valid on the same day (checked when a code is issued, in
-- the one writer's transaction), so an amount and a date name one code.
CREATE TABLE payment_codes (
	id          INTEGER PRIMARY KEY,
	member_id   INTEGER NOT NULL REFERENCES members (id),
	loan_ref    TEXT NOT NULL DEFAULT '',
	installment INTEGER NOT NULL CHECK (installment >= 0),
	wajib       INTEGER NOT NULL CHECK (wajib >= 0),
	base        INTEGER NOT NULL CHECK (base > 0 AND base = installment + wajib),
	code        INTEGER NOT NULL CHECK (code BETWEEN 1 AND 999),
	amount      INTEGER NOT NULL CHECK (amount = base + code),
	-- The days, in the cooperative's zone, the code may be paid on.
	issued_on   TEXT NOT NULL,
	valid_until TEXT NOT NULL CHECK (valid_until >= issued_on),
	-- open: waiting for the transfer; matched: a statement line with its
	-- amount waits for an officer; paid: booked.
	status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'matched', 'paid')),
	issued_at   TEXT NOT NULL
) STRICT;
CREATE INDEX payment_codes_amount ON payment_codes (amount, valid_until);
CREATE INDEX payment_codes_member ON payment_codes (member_id, valid_until);
