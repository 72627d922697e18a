CREATE TABLE "stat_geo_keys" (
	"grouped" boolean NOT NULL,
	"fkey" text NOT NULL,
	"month" text NOT NULL,
	"binding" text NOT NULL,
	"types_mask" integer NOT NULL,
	"primary_type" text NOT NULL,
	"deals" integer NOT NULL,
	CONSTRAINT "stat_geo_keys_grouped_fkey_month_binding_types_mask_primary_type_pk" PRIMARY KEY("grouped","fkey","month","binding","types_mask","primary_type")
);
