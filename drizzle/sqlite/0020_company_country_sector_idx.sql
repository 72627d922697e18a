CREATE INDEX `companies_country_idx` ON `companies` (`country`);--> statement-breakpoint
CREATE INDEX `companies_sector_idx` ON `companies` (`sector`);