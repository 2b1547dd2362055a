CREATE TABLE "expertise_scores" (
	"user_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"authored" integer DEFAULT 0 NOT NULL,
	"reviews" integer DEFAULT 0 NOT NULL,
	"accepted" integer DEFAULT 0 NOT NULL,
	"promoted" integer DEFAULT 0 NOT NULL,
	"uses" integer DEFAULT 0 NOT NULL,
	"helpful" integer DEFAULT 0 NOT NULL,
	"score" real GENERATED ALWAYS AS (5 * authored + 3 * reviews + 3 * accepted + 2 * promoted + 0.1 * least(uses, 1000) + 0.5 * helpful) STORED,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "expertise_scores_user_id_scope_key_pk" PRIMARY KEY("user_id","scope","key")
);
--> statement-breakpoint
CREATE TABLE "reputation_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"points" integer NOT NULL,
	"subject" text NOT NULL,
	"topic_id" uuid,
	"day" date NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "expertise_scores" ADD CONSTRAINT "expertise_scores_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reputation_events" ADD CONSTRAINT "reputation_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reputation_events" ADD CONSTRAINT "reputation_events_topic_id_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."topics"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "expertise_scores_scope_idx" ON "expertise_scores" USING btree ("scope","key","score");--> statement-breakpoint
CREATE UNIQUE INDEX "reputation_events_once_idx" ON "reputation_events" USING btree ("user_id","kind","subject");--> statement-breakpoint
CREATE INDEX "reputation_events_day_idx" ON "reputation_events" USING btree ("user_id","kind","day");--> statement-breakpoint
CREATE INDEX "reputation_events_topic_idx" ON "reputation_events" USING btree ("topic_id","at");