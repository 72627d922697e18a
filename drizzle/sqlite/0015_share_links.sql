CREATE TABLE `share_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`view_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`created_by_user_id` text,
	`allow_export` integer DEFAULT false NOT NULL,
	`expires_at` integer,
	`open_count` integer DEFAULT 0 NOT NULL,
	`last_opened_at` integer,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`view_id`) REFERENCES `saved_views`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `share_links_token_hash_idx` ON `share_links` (`token_hash`);--> statement-breakpoint
CREATE INDEX `share_links_view_idx` ON `share_links` (`view_id`);--> statement-breakpoint
CREATE INDEX `share_links_created_by_idx` ON `share_links` (`created_by_user_id`);