CREATE TABLE `digest_sends` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`period` text NOT NULL,
	`test` integer DEFAULT false NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`changes` integer,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `digest_sends_user_period_idx` ON `digest_sends` (`user_id`,`period`);--> statement-breakpoint
CREATE INDEX `digest_sends_due_idx` ON `digest_sends` (`next_attempt_at`) WHERE status = 'pending';--> statement-breakpoint
CREATE TABLE `digest_settings` (
	`user_id` text PRIMARY KEY NOT NULL,
	`frequency` text DEFAULT 'off' NOT NULL,
	`hour` integer DEFAULT 8 NOT NULL,
	`weekday` integer DEFAULT 1 NOT NULL,
	`time_zone` text DEFAULT 'UTC' NOT NULL,
	`sent_revision_id` integer DEFAULT 0 NOT NULL,
	`scheduled_period` text,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
