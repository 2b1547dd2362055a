CREATE TABLE "learned_phrasings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"answer_id" uuid NOT NULL,
	"phrasing" text NOT NULL,
	"agents" integer DEFAULT 0 NOT NULL,
	"conversations" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'learned' NOT NULL,
	"active" boolean DEFAULT false NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	CONSTRAINT "learned_phrasings_answer_phrasing_uq" UNIQUE("answer_id","phrasing"),
	CONSTRAINT "learned_phrasings_len" CHECK (char_length("learned_phrasings"."phrasing") between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "phrasing_evidence" (
	"phrasing_id" uuid NOT NULL,
	"use_id" uuid PRIMARY KEY NOT NULL,
	"teacher" text NOT NULL,
	"conversation" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "learned_phrasings" ADD CONSTRAINT "learned_phrasings_answer_id_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."answers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learned_phrasings" ADD CONSTRAINT "learned_phrasings_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phrasing_evidence" ADD CONSTRAINT "phrasing_evidence_phrasing_id_learned_phrasings_id_fk" FOREIGN KEY ("phrasing_id") REFERENCES "public"."learned_phrasings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phrasing_evidence" ADD CONSTRAINT "phrasing_evidence_use_id_answer_uses_id_fk" FOREIGN KEY ("use_id") REFERENCES "public"."answer_uses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "learned_phrasings_status_idx" ON "learned_phrasings" USING btree ("status","last_seen_at");--> statement-breakpoint
CREATE INDEX "phrasing_evidence_phrasing_idx" ON "phrasing_evidence" USING btree ("phrasing_id");--> statement-breakpoint
CREATE INDEX "learned_phrasings_active_idx" ON "learned_phrasings" USING btree ("answer_id") WHERE "learned_phrasings"."active";
