-- UNLOGGED: the buckets are cheap to lose (a crash hands everyone a full bucket) and hot to write.
CREATE UNLOGGED TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"tokens" double precision NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"granted" boolean NOT NULL
);
