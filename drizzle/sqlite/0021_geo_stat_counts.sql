CREATE TABLE `stat_countries` (
	`grouped` integer NOT NULL,
	`type` text NOT NULL,
	`year` text NOT NULL,
	`country` text NOT NULL,
	`deals` integer NOT NULL,
	PRIMARY KEY(`grouped`, `type`, `year`, `country`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `stat_country_pairs` (
	`grouped` integer NOT NULL,
	`type` text NOT NULL,
	`year` text NOT NULL,
	`country_a` text NOT NULL,
	`country_b` text NOT NULL,
	`deals` integer NOT NULL,
	PRIMARY KEY(`grouped`, `type`, `year`, `country_a`, `country_b`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `stat_sector_technologies` (
	`grouped` integer NOT NULL,
	`type` text NOT NULL,
	`year` text NOT NULL,
	`sector` text NOT NULL,
	`technology_id` integer NOT NULL,
	`deals` integer NOT NULL,
	PRIMARY KEY(`grouped`, `type`, `year`, `sector`, `technology_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `stat_sectors` (
	`grouped` integer NOT NULL,
	`type` text NOT NULL,
	`year` text NOT NULL,
	`sector` text NOT NULL,
	`deals` integer NOT NULL,
	PRIMARY KEY(`grouped`, `type`, `year`, `sector`)
) WITHOUT ROWID;
