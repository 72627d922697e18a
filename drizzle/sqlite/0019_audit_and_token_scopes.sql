CREATE TABLE `audit_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`actor_user_id` text,
	`actor_token_id` integer,
	`kind` text NOT NULL,
	`detail` text NOT NULL,
	`ip` text,
	FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`actor_token_id`) REFERENCES `api_tokens`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `audit_events_at_idx` ON `audit_events` (`at`);--> statement-breakpoint
CREATE INDEX `audit_events_kind_idx` ON `audit_events` (`kind`,`at`);--> statement-breakpoint
CREATE INDEX `audit_events_actor_user_idx` ON `audit_events` (`actor_user_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_events_actor_token_idx` ON `audit_events` (`actor_token_id`);--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `scopes` text;--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `expires_at` integer;