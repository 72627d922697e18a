CREATE TABLE "stat_countries" (
	"grouped" boolean NOT NULL,
	"type" text NOT NULL,
	"year" text NOT NULL,
	"country" text NOT NULL,
	"deals" integer NOT NULL,
	CONSTRAINT "stat_countries_grouped_type_year_country_pk" PRIMARY KEY("grouped","type","year","country")
);
--> statement-breakpoint
CREATE TABLE "stat_country_pairs" (
	"grouped" boolean NOT NULL,
	"type" text NOT NULL,
	"year" text NOT NULL,
	"country_a" text NOT NULL,
	"country_b" text NOT NULL,
	"deals" integer NOT NULL,
	CONSTRAINT "stat_country_pairs_grouped_type_year_country_a_country_b_pk" PRIMARY KEY("grouped","type","year","country_a","country_b")
);
--> statement-breakpoint
CREATE TABLE "stat_sector_technologies" (
	"grouped" boolean NOT NULL,
	"type" text NOT NULL,
	"year" text NOT NULL,
	"sector" text NOT NULL,
	"technology_id" integer NOT NULL,
	"deals" integer NOT NULL,
	CONSTRAINT "stat_sector_technologies_grouped_type_year_sector_technology_id_pk" PRIMARY KEY("grouped","type","year","sector","technology_id")
);
--> statement-breakpoint
CREATE TABLE "stat_sectors" (
	"grouped" boolean NOT NULL,
	"type" text NOT NULL,
	"year" text NOT NULL,
	"sector" text NOT NULL,
	"deals" integer NOT NULL,
	CONSTRAINT "stat_sectors_grouped_type_year_sector_pk" PRIMARY KEY("grouped","type","year","sector")
);
