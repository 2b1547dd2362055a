ALTER TABLE "answer_uses" ADD COLUMN "conversation" text;--> statement-breakpoint
ALTER TABLE "answer_uses" ADD COLUMN "search_session" uuid;--> statement-breakpoint
ALTER TABLE "answer_uses" ADD COLUMN "search_query" text;--> statement-breakpoint
ALTER TABLE "answer_uses" ADD COLUMN "undone_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "failed_searches" ADD COLUMN "session_id" uuid;--> statement-breakpoint
CREATE INDEX "answer_uses_user_idx" ON "answer_uses" USING btree ("user_id","answer_id","at");--> statement-breakpoint
ALTER TABLE "failed_searches" ADD CONSTRAINT "failed_searches_session_id_unique" UNIQUE("session_id");