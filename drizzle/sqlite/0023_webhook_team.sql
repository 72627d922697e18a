ALTER TABLE `webhooks` ADD `team_id` integer REFERENCES teams(id);--> statement-breakpoint
CREATE INDEX `webhooks_team_idx` ON `webhooks` (`team_id`);