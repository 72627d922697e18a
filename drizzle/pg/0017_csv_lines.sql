ALTER TABLE "deal_cells" ADD COLUMN "csv_line" text;--> statement-breakpoint
CREATE INDEX "deal_cells_missing_line_idx" ON "deal_cells" USING btree ("deal_id") WHERE csv_line IS NULL;