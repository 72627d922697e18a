ALTER TABLE "stat_deal_months" DROP CONSTRAINT "stat_deal_months_month_binding_types_mask_pk";--> statement-breakpoint
ALTER TABLE "deal_types" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stat_deal_months" ADD COLUMN "primary_type" text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Edited by hand: drizzle-kit added the key before the column it names.
ALTER TABLE "stat_deal_months" ADD CONSTRAINT "stat_deal_months_month_binding_types_mask_primary_type_pk" PRIMARY KEY("month","binding","types_mask","primary_type");
