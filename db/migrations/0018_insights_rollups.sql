CREATE TABLE "answer_opens" (
	"session_id" uuid NOT NULL,
	"answer_id" uuid NOT NULL,
	"user_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "answer_opens_session_id_answer_id_pk" PRIMARY KEY("session_id","answer_id")
);
--> statement-breakpoint
CREATE TABLE "insights_answer_usage" (
	"window_days" integer NOT NULL,
	"answer_id" uuid NOT NULL,
	"window_from" timestamp with time zone NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"topic_ids" uuid[] NOT NULL,
	"internal" boolean NOT NULL,
	"question" text NOT NULL,
	"uses" integer NOT NULL,
	"phone" integer DEFAULT 0 NOT NULL,
	"email" integer DEFAULT 0 NOT NULL,
	"chat" integer DEFAULT 0 NOT NULL,
	"social" integer DEFAULT 0 NOT NULL,
	"unknown" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "insights_answer_usage_window_days_answer_id_pk" PRIMARY KEY("window_days","answer_id")
);
--> statement-breakpoint
CREATE TABLE "insights_hourly" (
	"hour" timestamp with time zone NOT NULL,
	"topic_ids" uuid[] NOT NULL,
	"searches" integer DEFAULT 0 NOT NULL,
	"no_result" integer DEFAULT 0 NOT NULL,
	"linked" integer DEFAULT 0 NOT NULL,
	"uses" integer DEFAULT 0 NOT NULL,
	"submitted" integer DEFAULT 0 NOT NULL,
	"certified" integer DEFAULT 0 NOT NULL,
	"became_due" integer DEFAULT 0 NOT NULL,
	"reverified" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "insights_hourly_hour_topic_ids_pk" PRIMARY KEY("hour","topic_ids")
);
--> statement-breakpoint
CREATE TABLE "insights_rollup_state" (
	"name" text PRIMARY KEY NOT NULL,
	"through" timestamp with time zone NOT NULL,
	"ran_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "insights_stays" (
	"version_id" uuid NOT NULL,
	"state" text NOT NULL,
	"entered_at" timestamp with time zone NOT NULL,
	"left_at" timestamp with time zone NOT NULL,
	"topic_ids" uuid[] NOT NULL,
	CONSTRAINT "insights_stays_version_id_left_at_state_pk" PRIMARY KEY("version_id","left_at","state")
);
--> statement-breakpoint
ALTER TABLE "answer_opens" ADD CONSTRAINT "answer_opens_answer_id_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."answers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_opens" ADD CONSTRAINT "answer_opens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insights_answer_usage" ADD CONSTRAINT "insights_answer_usage_answer_id_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."answers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "insights_stays" ADD CONSTRAINT "insights_stays_version_id_answer_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."answer_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "answer_opens_at_idx" ON "answer_opens" USING btree ("at");--> statement-breakpoint
CREATE INDEX "insights_stays_left_idx" ON "insights_stays" USING btree ("left_at");--> statement-breakpoint
CREATE INDEX "answer_uses_period_idx" ON "answer_uses" USING btree ("at","answer_id","channel") WHERE "answer_uses"."undone_at" is null;