CREATE TABLE "faq_feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"answer_id" uuid NOT NULL,
	"version_id" uuid,
	"helpful" boolean NOT NULL,
	"comment" text,
	"ip_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "faq_feedback_comment_len" CHECK (char_length("faq_feedback"."comment") <= 1000)
);
--> statement-breakpoint
CREATE TABLE "faq_slugs" (
	"topic_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"answer_id" uuid NOT NULL,
	"current" boolean DEFAULT true NOT NULL,
	"version_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "faq_slugs_topic_id_slug_pk" PRIMARY KEY("topic_id","slug"),
	CONSTRAINT "faq_slugs_slug_format" CHECK ("faq_slugs"."slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$')
);
--> statement-breakpoint
ALTER TABLE "faq_feedback" ADD CONSTRAINT "faq_feedback_answer_id_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."answers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faq_feedback" ADD CONSTRAINT "faq_feedback_version_id_answer_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."answer_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faq_slugs" ADD CONSTRAINT "faq_slugs_topic_id_topics_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."topics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faq_slugs" ADD CONSTRAINT "faq_slugs_answer_id_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."answers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faq_slugs" ADD CONSTRAINT "faq_slugs_version_id_answer_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."answer_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "faq_feedback_answer_idx" ON "faq_feedback" USING btree ("answer_id","created_at");--> statement-breakpoint
CREATE INDEX "faq_feedback_ip_idx" ON "faq_feedback" USING btree ("ip_hash","answer_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "faq_slugs_current_idx" ON "faq_slugs" USING btree ("answer_id") WHERE "faq_slugs"."current";