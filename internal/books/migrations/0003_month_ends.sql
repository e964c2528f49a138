-- The books at the end of each month that has ended, so a neraca or a
-- period's laba rugi at any date reads one month-end row set plus the
-- postings since, instead of a year of postings or every member's account.
-- Kept per chart line (a chart file may change, so per chart fingerprint):
-- a row per ledger account would still make each report classify every
-- member's account. Split by the ledger accounts' type, so a laba rugi can
-- take the income and expense accounts only, and with the year-end closing
-- entries' share, which a laba rugi leaves out.
CREATE TABLE books_month_ends (
	month   TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
	chart   TEXT NOT NULL,
	-- The chart code, or the ledger code of an account the chart does not place.
	line    TEXT NOT NULL,
	type    TEXT NOT NULL CHECK (type IN ('asset', 'liability', 'equity', 'income', 'expense')),
	-- Raw sums (debit positive) of the postings dated up to the month's
	-- last day, and of those the year-end closing entries'.
	raw     INTEGER NOT NULL,
	closing INTEGER NOT NULL,
	PRIMARY KEY (month, chart, line, type)
) STRICT, WITHOUT ROWID;

-- A month's figures never go stale: a transaction dated inside or before a
-- stored month (a backdated payment into a month that is over but not
-- closed; closed months refuse it already) drops that month and every later
-- one, and the daily job stores them again. A trigger, so no writer can
-- forget it; per transaction, because postings are only ever written with
-- their transaction.
CREATE TRIGGER books_month_ends_stale AFTER INSERT ON ledger_transactions
WHEN NEW.value_date < (SELECT date(max(month) || '-01', '+1 month') FROM books_month_ends)
BEGIN
	DELETE FROM books_month_ends WHERE month >= substr(NEW.value_date, 1, 7);
END;
