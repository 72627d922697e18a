CREATE TABLE `stat_key_counts` (
	`grouped` integer NOT NULL,
	`fkey` text NOT NULL,
	`dim` text NOT NULL,
	`k1` text NOT NULL,
	`k2` text NOT NULL,
	`deals` integer NOT NULL,
	PRIMARY KEY(`grouped`, `fkey`, `dim`, `k1`, `k2`)
) WITHOUT ROWID;
