CREATE TABLE "stat_companies" (
	"grouped" boolean NOT NULL,
	"type" text NOT NULL,
	"company_id" integer NOT NULL,
	"deals" integer NOT NULL,
	"partners" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "stat_companies_grouped_type_company_id_pk" PRIMARY KEY("grouped","type","company_id")
);
--> statement-breakpoint
CREATE TABLE "stat_company_months" (
	"grouped" boolean NOT NULL,
	"type" text NOT NULL,
	"company_id" integer NOT NULL,
	"month" text NOT NULL,
	"deals" integer NOT NULL,
	CONSTRAINT "stat_company_months_grouped_type_company_id_month_pk" PRIMARY KEY("grouped","type","company_id","month")
);
--> statement-breakpoint
CREATE TABLE "stat_company_pairs" (
	"grouped" boolean NOT NULL,
	"company_id" integer NOT NULL,
	"partner_id" integer NOT NULL,
	"deals" integer NOT NULL,
	CONSTRAINT "stat_company_pairs_grouped_company_id_partner_id_pk" PRIMARY KEY("grouped","company_id","partner_id")
);
--> statement-breakpoint
CREATE TABLE "stat_deal_months" (
	"month" text NOT NULL,
	"binding" text NOT NULL,
	"types_mask" integer NOT NULL,
	"deals" integer NOT NULL,
	CONSTRAINT "stat_deal_months_month_binding_types_mask_pk" PRIMARY KEY("month","binding","types_mask")
);
--> statement-breakpoint
CREATE TABLE "stat_technologies" (
	"grouped" boolean NOT NULL,
	"type" text NOT NULL,
	"month" text NOT NULL,
	"technology_id" integer NOT NULL,
	"deals" integer NOT NULL,
	CONSTRAINT "stat_technologies_grouped_type_month_technology_id_pk" PRIMARY KEY("grouped","type","month","technology_id")
);
--> statement-breakpoint
DROP INDEX "deals_live_announced_idx";--> statement-breakpoint
DROP INDEX "deals_live_updated_idx";--> statement-breakpoint
DROP INDEX "deals_live_title_idx";--> statement-breakpoint
CREATE INDEX "stat_companies_deals_idx" ON "stat_companies" USING btree ("grouped","type","deals");--> statement-breakpoint
CREATE INDEX "stat_companies_partners_idx" ON "stat_companies" USING btree ("grouped","type","partners");--> statement-breakpoint
CREATE INDEX "stat_company_months_month_idx" ON "stat_company_months" USING btree ("grouped","type","month","company_id","deals");--> statement-breakpoint
CREATE INDEX "deals_live_announced_idx" ON "deals" USING btree ("announced_on","id","binding","status") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "deals_live_updated_idx" ON "deals" USING btree ("updated_at","id","announced_on","binding","status") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "deals_live_title_idx" ON "deals" USING btree ("title","id","announced_on","binding","status") WHERE deleted_at IS NULL;