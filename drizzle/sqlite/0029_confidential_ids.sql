DROP INDEX `deals_team_idx`;--> statement-breakpoint
CREATE INDEX `deals_team_idx` ON `deals` (`id`,`team_id`) WHERE team_id IS NOT NULL;