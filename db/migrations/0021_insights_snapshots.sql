CREATE TABLE "insights_health_now" (
	"topic_ids" uuid[] PRIMARY KEY NOT NULL,
	"certified" integer NOT NULL,
	"due" integer NOT NULL,
	"archived" integer NOT NULL,
	"unowned" integer NOT NULL,
	"computed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "insights_usage_summary" (
	"window_days" integer PRIMARY KEY NOT NULL,
	"window_from" timestamp with time zone NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"summary" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "insights_hourly" ADD COLUMN "new_certified" integer DEFAULT 0 NOT NULL;