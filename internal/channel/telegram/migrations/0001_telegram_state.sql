-- Small facts the Telegram adapter must keep across restarts. Today only the
-- update offset, under key 'offset/<bot user id>': the next update_id to
-- fetch, advanced after the handler has accepted the update before it.
-- Keyed by bot id because update ids are per bot: a new token starts fresh.
CREATE TABLE telegram_state (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;
