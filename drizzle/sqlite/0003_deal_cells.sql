CREATE TABLE `deal_cells` (
	`deal_id` integer PRIMARY KEY NOT NULL,
	`types` text NOT NULL,
	`parties` text NOT NULL,
	`technologies` text NOT NULL,
	`first_source_url` text,
	`quote_count` integer NOT NULL,
	`sources_json` text NOT NULL,
	`quotes_json` text NOT NULL,
	FOREIGN KEY (`deal_id`) REFERENCES `deals`(`id`) ON UPDATE no action ON DELETE cascade
);
