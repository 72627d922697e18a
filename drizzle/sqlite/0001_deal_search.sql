-- Full-text index over deals, kept in step by db/mutations.ts (rowid = deals.id).
-- Party names include aliases so "SKT" finds SK Telecom's deals.
CREATE VIRTUAL TABLE `deal_search` USING fts5(
	`title`, `summary`, `quotes`, `parties`,
	tokenize = 'unicode61 remove_diacritics 2'
);
