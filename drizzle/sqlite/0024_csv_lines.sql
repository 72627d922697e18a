ALTER TABLE `deal_cells` ADD `csv_line` text;--> statement-breakpoint
CREATE INDEX `deal_cells_missing_line_idx` ON `deal_cells` (`deal_id`) WHERE csv_line IS NULL;