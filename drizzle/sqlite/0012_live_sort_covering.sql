DROP INDEX `deals_live_announced_idx`;--> statement-breakpoint
DROP INDEX `deals_live_updated_idx`;--> statement-breakpoint
DROP INDEX `deals_live_title_idx`;--> statement-breakpoint
CREATE INDEX `deals_live_announced_idx` ON `deals` (`announced_on`,`id`,`binding`,`status`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX `deals_live_updated_idx` ON `deals` (`updated_at`,`id`,`announced_on`,`binding`,`status`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX `deals_live_title_idx` ON `deals` (`title`,`id`,`announced_on`,`binding`,`status`) WHERE deleted_at IS NULL;