CREATE TABLE `company_non_duplicates` (
	`company_a` integer NOT NULL,
	`company_b` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	PRIMARY KEY(`company_a`, `company_b`),
	FOREIGN KEY (`company_a`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`company_b`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `company_non_duplicates_b_idx` ON `company_non_duplicates` (`company_b`);--> statement-breakpoint
CREATE TABLE `company_slugs` (
	`slug` text PRIMARY KEY NOT NULL,
	`company_id` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `company_slugs_company_idx` ON `company_slugs` (`company_id`);--> statement-breakpoint
CREATE TABLE `merges` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`source_id` integer NOT NULL,
	`source_name` text NOT NULL,
	`target_id` integer NOT NULL,
	`target_name` text NOT NULL,
	`payload` text NOT NULL,
	`actor` text NOT NULL,
	`actor_user_id` text,
	`actor_token_id` integer,
	`at` integer DEFAULT (unixepoch()) NOT NULL,
	`undone_at` integer,
	`undone_by` text,
	FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`actor_token_id`) REFERENCES `api_tokens`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `merges_target_idx` ON `merges` (`kind`,`target_id`);--> statement-breakpoint
CREATE INDEX `merges_source_idx` ON `merges` (`kind`,`source_id`);--> statement-breakpoint
CREATE INDEX `merges_actor_user_idx` ON `merges` (`actor_user_id`);--> statement-breakpoint
CREATE INDEX `merges_actor_token_idx` ON `merges` (`actor_token_id`);--> statement-breakpoint
CREATE TABLE `record_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entity` text NOT NULL,
	`entity_id` integer NOT NULL,
	`version` integer NOT NULL,
	`action` text NOT NULL,
	`actor` text NOT NULL,
	`actor_user_id` text,
	`actor_token_id` integer,
	`at` integer DEFAULT (unixepoch()) NOT NULL,
	`changed_fields` text NOT NULL,
	`before` text,
	`after` text,
	`merge_id` integer,
	FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`actor_token_id`) REFERENCES `api_tokens`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`merge_id`) REFERENCES `merges`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `record_revisions_entity_idx` ON `record_revisions` (`entity`,`entity_id`,`id`);--> statement-breakpoint
CREATE INDEX `record_revisions_at_idx` ON `record_revisions` (`at`);--> statement-breakpoint
CREATE INDEX `record_revisions_actor_user_idx` ON `record_revisions` (`actor_user_id`);--> statement-breakpoint
CREATE INDEX `record_revisions_actor_token_idx` ON `record_revisions` (`actor_token_id`);--> statement-breakpoint
CREATE INDEX `record_revisions_merge_idx` ON `record_revisions` (`merge_id`);--> statement-breakpoint
CREATE TABLE `technology_slugs` (
	`slug` text PRIMARY KEY NOT NULL,
	`technology_id` integer NOT NULL,
	FOREIGN KEY (`technology_id`) REFERENCES `technologies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `technology_slugs_technology_idx` ON `technology_slugs` (`technology_id`);--> statement-breakpoint
ALTER TABLE `companies` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `technologies` ADD `parent_id` integer REFERENCES technologies(id);--> statement-breakpoint
ALTER TABLE `technologies` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX `technologies_parent_idx` ON `technologies` (`parent_id`);