CREATE TABLE "stat_deal_keys" (
	"kind" integer NOT NULL,
	"key_id" integer NOT NULL,
	"announced_on" date NOT NULL,
	"deal_id" integer NOT NULL,
	"binding" text NOT NULL,
	"types_mask" integer NOT NULL,
	"primary_type" text NOT NULL,
	CONSTRAINT "stat_deal_keys_kind_key_id_announced_on_deal_id_pk" PRIMARY KEY("kind","key_id","announced_on","deal_id")
);
