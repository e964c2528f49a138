-- The manajer's answers to the questionnaire indicators: the latest row per
-- profile and indicator counts, with who answered, when and why.
CREATE TABLE health_answers (
	id         INTEGER PRIMARY KEY,
	profile    TEXT NOT NULL,
	indicator  TEXT NOT NULL,
	met        INTEGER NOT NULL CHECK (met >= 0),
	questions  INTEGER NOT NULL CHECK (questions > 0 AND met <= questions),
	on_date    TEXT NOT NULL,
	officer_id TEXT NOT NULL,
	note       TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX health_answers_indicator ON health_answers (profile, indicator, id);
