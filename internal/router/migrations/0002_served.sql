-- What each member message was served (the flows it started, or
-- "fallback"), so officers can see what members ask that kopbot did not
-- understand (/tidakpaham) and the cooperative can add words to flows/.
ALTER TABLE inbox ADD COLUMN served TEXT;
CREATE INDEX inbox_fallback ON inbox (received_at) WHERE served = 'fallback';
