CREATE TABLE `stat_geo_keys` (
	`grouped` integer NOT NULL,
	`fkey` text NOT NULL,
	`month` text NOT NULL,
	`binding` text NOT NULL,
	`types_mask` integer NOT NULL,
	`primary_type` text NOT NULL,
	`deals` integer NOT NULL,
	PRIMARY KEY(`grouped`, `fkey`, `month`, `binding`, `types_mask`, `primary_type`)
);
