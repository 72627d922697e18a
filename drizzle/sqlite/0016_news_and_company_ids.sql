CREATE TABLE `candidates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`status` text DEFAULT 'waiting' NOT NULL,
	`score` integer DEFAULT 0 NOT NULL,
	`reason` text NOT NULL,
	`draft` text,
	`group_key` text,
	`known_deal_id` integer,
	`deal_id` integer,
	`dismiss_reason` text,
	`decided_by_user_id` text,
	`decided_at` integer,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`known_deal_id`) REFERENCES `deals`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`deal_id`) REFERENCES `deals`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`decided_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `candidates_status_idx` ON `candidates` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `candidates_group_idx` ON `candidates` (`group_key`);--> statement-breakpoint
CREATE INDEX `candidates_known_deal_idx` ON `candidates` (`known_deal_id`);--> statement-breakpoint
CREATE INDEX `candidates_deal_idx` ON `candidates` (`deal_id`);--> statement-breakpoint
CREATE TABLE `news_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` integer NOT NULL,
	`guid` text NOT NULL,
	`canonical_url` text,
	`content_hash` text NOT NULL,
	`title` text NOT NULL,
	`url` text,
	`published_at` integer,
	`content` text NOT NULL,
	`candidate_id` integer,
	`processed_at` integer,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`source_id`) REFERENCES `news_sources`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`candidate_id`) REFERENCES `candidates`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `news_items_source_guid_idx` ON `news_items` (`source_id`,`guid`);--> statement-breakpoint
CREATE UNIQUE INDEX `news_items_canonical_url_idx` ON `news_items` (`canonical_url`);--> statement-breakpoint
CREATE UNIQUE INDEX `news_items_content_hash_idx` ON `news_items` (`content_hash`);--> statement-breakpoint
CREATE INDEX `news_items_candidate_idx` ON `news_items` (`candidate_id`);--> statement-breakpoint
CREATE INDEX `news_items_unprocessed_idx` ON `news_items` (`id`) WHERE processed_at is null;--> statement-breakpoint
CREATE TABLE `news_sources` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`page_url` text,
	`format` text,
	`active` integer DEFAULT true NOT NULL,
	`interval_minutes` integer DEFAULT 30 NOT NULL,
	`etag` text,
	`last_modified` text,
	`last_fetched_at` integer,
	`last_success_at` integer,
	`next_fetch_at` integer NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`items_seen` integer DEFAULT 0 NOT NULL,
	`candidates_made` integer DEFAULT 0 NOT NULL,
	`created_by_user_id` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `news_sources_url_idx` ON `news_sources` (`url`);--> statement-breakpoint
CREATE INDEX `news_sources_due_idx` ON `news_sources` (`next_fetch_at`);--> statement-breakpoint
ALTER TABLE `companies` ADD `lei` text;--> statement-breakpoint
ALTER TABLE `companies` ADD `wikidata_id` text;--> statement-breakpoint
ALTER TABLE `companies` ADD `ticker` text;