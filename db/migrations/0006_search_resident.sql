-- The SQL postings and term statistics give way to each process's in-memory copy (docs/decisions/008-resident-search-index.md).
DROP TABLE "search_postings" CASCADE;--> statement-breakpoint
DROP TABLE "search_terms" CASCADE;--> statement-breakpoint
DROP INDEX "search_documents_tsv_idx";--> statement-breakpoint
ALTER TABLE "search_documents" ADD COLUMN "state" text DEFAULT 'certified' NOT NULL;--> statement-breakpoint
ALTER TABLE "search_documents" ADD COLUMN "seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "search_documents_seq_idx" ON "search_documents" USING btree ("seq");