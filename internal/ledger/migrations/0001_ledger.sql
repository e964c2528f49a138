-- Amounts are whole Rupiah, raw sign: debit positive, credit negative.
CREATE TABLE ledger_accounts (
	id         INTEGER PRIMARY KEY,
	code       TEXT NOT NULL UNIQUE CHECK (code <> ''),
	name       TEXT NOT NULL,
	type       TEXT NOT NULL CHECK (type IN ('asset', 'liability', 'equity', 'income', 'expense')),
	-- Cache of sum(ledger_postings.amount) for this account, kept by the
	-- trigger below so a balance read never scans history.
	balance    INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
) STRICT;

CREATE TABLE ledger_transactions (
	id         INTEGER PRIMARY KEY,
	idem_key   TEXT NOT NULL UNIQUE CHECK (idem_key <> ''),
	kind       TEXT NOT NULL,
	value_date TEXT NOT NULL CHECK (value_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	actor      TEXT NOT NULL CHECK (actor <> ''),
	memo       TEXT NOT NULL DEFAULT '',
	reverses   INTEGER REFERENCES ledger_transactions (id),
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
) STRICT;

CREATE TABLE ledger_postings (
	id         INTEGER PRIMARY KEY,
	tx_id      INTEGER NOT NULL REFERENCES ledger_transactions (id),
	account_id INTEGER NOT NULL REFERENCES ledger_accounts (id),
	amount     INTEGER NOT NULL CHECK (amount <> 0)
) STRICT;

-- A transaction is reversed at most once. Partial, so the ordinary
-- transactions (NULL here) cost no index page on every commit.
CREATE UNIQUE INDEX ledger_transactions_reverses ON ledger_transactions (reverses) WHERE reverses IS NOT NULL;

-- Statements read an account's newest postings first.
CREATE INDEX ledger_postings_account ON ledger_postings (account_id, id);
CREATE INDEX ledger_postings_tx ON ledger_postings (tx_id);

-- Keeping the cache in a trigger makes it impossible to post without moving
-- the balance, whoever writes the posting.
CREATE TRIGGER ledger_postings_balance AFTER INSERT ON ledger_postings
BEGIN
	UPDATE ledger_accounts SET balance = balance + NEW.amount WHERE id = NEW.account_id;
END;

-- Posted money is never edited: mistakes are corrected by a reversal.
CREATE TRIGGER ledger_transactions_no_update BEFORE UPDATE ON ledger_transactions
BEGIN
	SELECT RAISE(ABORT, 'ledger_transactions are append-only: reverse instead');
END;
CREATE TRIGGER ledger_transactions_no_delete BEFORE DELETE ON ledger_transactions
BEGIN
	SELECT RAISE(ABORT, 'ledger_transactions are append-only: reverse instead');
END;
CREATE TRIGGER ledger_postings_no_update BEFORE UPDATE ON ledger_postings
BEGIN
	SELECT RAISE(ABORT, 'ledger_postings are append-only: reverse instead');
END;
CREATE TRIGGER ledger_postings_no_delete BEFORE DELETE ON ledger_postings
BEGIN
	SELECT RAISE(ABORT, 'ledger_postings are append-only: reverse instead');
END;

-- An account's code and type give its postings their meaning; changing
-- either would silently rewrite history. Its name may change.
CREATE TRIGGER ledger_accounts_fixed BEFORE UPDATE OF code, type ON ledger_accounts
WHEN NEW.code IS NOT OLD.code OR NEW.type IS NOT OLD.type
BEGIN
	SELECT RAISE(ABORT, 'ledger_accounts code and type are fixed');
END;
