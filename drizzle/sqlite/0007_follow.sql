CREATE TABLE `saved_views` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`owner_user_id` text NOT NULL,
	`name` text NOT NULL,
	`path` text NOT NULL,
	`shared` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`owner_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `saved_views_owner_idx` ON `saved_views` (`owner_user_id`);--> statement-breakpoint
CREATE INDEX `saved_views_shared_idx` ON `saved_views` (`shared`);--> statement-breakpoint
CREATE TABLE `user_follow` (
	`user_id` text PRIMARY KEY NOT NULL,
	`inbox_read_revision_id` integer DEFAULT 0 NOT NULL,
	`feed_key` text,
	`feed_key_created_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_follow_feed_key_idx` ON `user_follow` (`feed_key`);--> statement-breakpoint
CREATE TABLE `watches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`company_id` integer,
	`technology_id` integer,
	`view_id` integer,
	`since_revision_id` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`technology_id`) REFERENCES `technologies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`view_id`) REFERENCES `saved_views`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `watches_user_idx` ON `watches` (`user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `watches_user_company_idx` ON `watches` (`user_id`,`company_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `watches_user_technology_idx` ON `watches` (`user_id`,`technology_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `watches_user_view_idx` ON `watches` (`user_id`,`view_id`);--> statement-breakpoint
CREATE INDEX `watches_company_idx` ON `watches` (`company_id`);--> statement-breakpoint
CREATE INDEX `watches_technology_idx` ON `watches` (`technology_id`);--> statement-breakpoint
CREATE INDEX `watches_view_idx` ON `watches` (`view_id`);