-- A series the organisation's server refused because another device already
-- numbers its letters in it (`series_taken`): kept, so that no later draw gives it
-- again, but never continued — the next letter draws a new series.
ALTER TABLE letter_series ADD COLUMN retired_at INTEGER;
