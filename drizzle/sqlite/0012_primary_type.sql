PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_stat_deal_months` (
	`month` text NOT NULL,
	`binding` text NOT NULL,
	`types_mask` integer NOT NULL,
	`primary_type` text DEFAULT '' NOT NULL,
	`deals` integer NOT NULL,
	PRIMARY KEY(`month`, `binding`, `types_mask`, `primary_type`)
);
--> statement-breakpoint
-- Edited by hand: drizzle-kit copied the new column from the old table, which has none. The copied
-- rows are dropped by 0013 anyway, so the counts are rebuilt at start (db/migrate.ts).
INSERT INTO `__new_stat_deal_months`("month", "binding", "types_mask", "deals") SELECT "month", "binding", "types_mask", "deals" FROM `stat_deal_months`;--> statement-breakpoint
DROP TABLE `stat_deal_months`;--> statement-breakpoint
ALTER TABLE `__new_stat_deal_months` RENAME TO `stat_deal_months`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
ALTER TABLE `deal_types` ADD `position` integer DEFAULT 0 NOT NULL;