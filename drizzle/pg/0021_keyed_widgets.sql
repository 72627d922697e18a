CREATE TABLE "stat_key_counts" (
	"grouped" boolean NOT NULL,
	"fkey" text NOT NULL,
	"dim" text NOT NULL,
	"k1" text NOT NULL,
	"k2" text NOT NULL,
	"deals" integer NOT NULL,
	CONSTRAINT "stat_key_counts_grouped_fkey_dim_k1_k2_pk" PRIMARY KEY("grouped","fkey","dim","k1","k2")
);
