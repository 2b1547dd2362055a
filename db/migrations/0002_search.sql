CREATE TABLE "search_documents" (
	"answer_id" uuid PRIMARY KEY NOT NULL,
	"doc" jsonb NOT NULL,
	"topic_ids" uuid[] NOT NULL,
	"tags" text[] NOT NULL,
	"audience" text NOT NULL,
	"tsv" "tsvector" NOT NULL,
	"length" integer NOT NULL,
	"indexed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_postings" (
	"term" text NOT NULL,
	"answer_id" uuid NOT NULL,
	"impact" real NOT NULL,
	CONSTRAINT "search_postings_term_answer_id_pk" PRIMARY KEY("term","answer_id")
);
--> statement-breakpoint
CREATE TABLE "search_synonyms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"terms" text[] NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_terms" (
	"term" text PRIMARY KEY NOT NULL,
	"df" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "search_synonyms" ADD CONSTRAINT "search_synonyms_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "search_documents_tsv_idx" ON "search_documents" USING gin ("tsv");--> statement-breakpoint
CREATE INDEX "search_postings_term_impact_idx" ON "search_postings" USING btree ("term","impact" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "search_postings_answer_idx" ON "search_postings" USING btree ("answer_id");--> statement-breakpoint
-- custom SQL: typo tolerance and prefix matching over the vocabulary
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;--> statement-breakpoint
CREATE INDEX "search_terms_trgm_idx" ON "search_terms" USING gin ("term" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "search_terms_prefix_idx" ON "search_terms" ("term" text_pattern_ops);
