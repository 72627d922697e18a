-- With Roll up a party's country and sector are now its group's first (as the filters read them), so
-- the geography counts are emptied here and rebuilt once, whole, when the server migrates
-- (statCountsMissing, db/core/migrate.ts).
DELETE FROM stat_countries;--> statement-breakpoint
DELETE FROM stat_country_pairs;--> statement-breakpoint
DELETE FROM stat_sectors;--> statement-breakpoint
DELETE FROM stat_sector_technologies;
