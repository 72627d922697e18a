CREATE TABLE `data_changes` (
	`id` integer PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sign_in_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`bucket` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sign_in_failures_bucket_idx` ON `sign_in_failures` (`bucket`,`at`);--> statement-breakpoint
INSERT INTO `data_changes` (`id`, `version`) VALUES (1, 0);
