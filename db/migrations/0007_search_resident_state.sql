CREATE TABLE "search_removed" (
	"answer_id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	"epoch" bigint DEFAULT 0 NOT NULL,
	"synonyms_version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "search_removed_seq_idx" ON "search_removed" USING btree ("seq");--> statement-breakpoint
-- custom SQL: the one state row, and the state column for rows indexed before it existed
INSERT INTO "search_state" ("id") VALUES (1) ON CONFLICT DO NOTHING;--> statement-breakpoint
UPDATE "search_documents" SET "state" = "doc"->>'state' WHERE "doc" ? 'state';
