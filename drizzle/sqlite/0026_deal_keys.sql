CREATE TABLE `stat_deal_keys` (
	`kind` integer NOT NULL,
	`key_id` integer NOT NULL,
	`announced_on` text NOT NULL,
	`deal_id` integer NOT NULL,
	`binding` text NOT NULL,
	`types_mask` integer NOT NULL,
	`primary_type` text NOT NULL,
	PRIMARY KEY(`kind`, `key_id`, `announced_on`, `deal_id`)
) WITHOUT ROWID;
