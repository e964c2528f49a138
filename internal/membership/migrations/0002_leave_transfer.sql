-- How a leaving member's savings were paid: cash at the office, or a
-- transfer to their bank account on file (from the cooperative's bank).
ALTER TABLE membership_leaves ADD COLUMN method TEXT NOT NULL DEFAULT 'cash' CHECK (method IN ('cash', 'transfer'));
