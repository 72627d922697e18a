-- Full-text search over deals, PostgreSQL's way: one tsvector per deal with a GIN index, kept in step
-- by the data layer exactly where SQLite's FTS5 table is (db/search.ts). The `atlas` configuration
-- folds case and diacritics and keeps every word (no stemming, no stop words), as FTS5's unicode61
-- tokenizer with remove_diacritics does, so the same searches find the same deals on both engines.
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION atlas (COPY = simple);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION atlas
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part, numword, numhword, hword_numpart
  WITH unaccent, simple;
--> statement-breakpoint
CREATE TABLE deal_search (
  deal_id integer PRIMARY KEY REFERENCES deals(id) ON DELETE CASCADE,
  document tsvector NOT NULL
);
--> statement-breakpoint
CREATE INDEX deal_search_document_idx ON deal_search USING gin (document);
--> statement-breakpoint
INSERT INTO data_changes (id, version) VALUES (1, 0);
