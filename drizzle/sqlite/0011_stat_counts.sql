CREATE TABLE `stat_companies` (
	`grouped` integer NOT NULL,
	`type` text NOT NULL,
	`company_id` integer NOT NULL,
	`deals` integer NOT NULL,
	`partners` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`grouped`, `type`, `company_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `stat_companies_deals_idx` ON `stat_companies` (`grouped`,`type`,`deals`);--> statement-breakpoint
CREATE INDEX `stat_companies_partners_idx` ON `stat_companies` (`grouped`,`type`,`partners`);--> statement-breakpoint
CREATE TABLE `stat_company_months` (
	`grouped` integer NOT NULL,
	`type` text NOT NULL,
	`company_id` integer NOT NULL,
	`month` text NOT NULL,
	`deals` integer NOT NULL,
	PRIMARY KEY(`grouped`, `type`, `company_id`, `month`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `stat_company_months_month_idx` ON `stat_company_months` (`grouped`,`type`,`month`,`company_id`,`deals`);--> statement-breakpoint
CREATE TABLE `stat_company_pairs` (
	`grouped` integer NOT NULL,
	`company_id` integer NOT NULL,
	`partner_id` integer NOT NULL,
	`deals` integer NOT NULL,
	PRIMARY KEY(`grouped`, `company_id`, `partner_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `stat_deal_months` (
	`month` text NOT NULL,
	`binding` text NOT NULL,
	`types_mask` integer NOT NULL,
	`deals` integer NOT NULL,
	PRIMARY KEY(`month`, `binding`, `types_mask`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `stat_technologies` (
	`grouped` integer NOT NULL,
	`type` text NOT NULL,
	`month` text NOT NULL,
	`technology_id` integer NOT NULL,
	`deals` integer NOT NULL,
	PRIMARY KEY(`grouped`, `type`, `month`, `technology_id`)
) WITHOUT ROWID;
--> statement-breakpoint
DROP INDEX `deals_live_announced_idx`;--> statement-breakpoint
DROP INDEX `deals_live_updated_idx`;--> statement-breakpoint
DROP INDEX `deals_live_title_idx`;--> statement-breakpoint
CREATE INDEX `deals_live_announced_idx` ON `deals` (`announced_on`,`id`,`binding`,`status`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX `deals_live_updated_idx` ON `deals` (`updated_at`,`id`,`announced_on`,`binding`,`status`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX `deals_live_title_idx` ON `deals` (`title`,`id`,`announced_on`,`binding`,`status`) WHERE deleted_at IS NULL;