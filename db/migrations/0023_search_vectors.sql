ALTER TABLE "search_documents" ADD COLUMN "vectors" "bytea";--> statement-breakpoint
ALTER TABLE "search_documents" ADD COLUMN "vectors_of" text;--> statement-breakpoint
CREATE INDEX "search_documents_unvectored_idx" ON "search_documents" USING btree ("answer_id") WHERE vectors is null;