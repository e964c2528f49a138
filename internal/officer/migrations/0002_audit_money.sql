-- The money an officer action moved or tried to move, and the ledger
-- transaction it posted: an auditor follows an audit row into the books.
ALTER TABLE officer_audit ADD COLUMN amount INTEGER;
ALTER TABLE officer_audit ADD COLUMN tx_id INTEGER;
