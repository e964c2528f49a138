-- Whether a transfer goes to the member's bank account on file in the
-- register (set by the office) rather than one the member typed in the
-- chat: the officers see which. account still keeps the account as it was
-- when asked, so a later change of the register does not move a request.
ALTER TABLE withdrawals ADD COLUMN on_file INTEGER NOT NULL DEFAULT 0 CHECK (on_file IN (0, 1));
