-- Types saved before their order was kept get it from the form's checkbox order (lib/enums.ts
-- DEAL_TYPES), the only order known for them: deterministic, so every copy of a database agrees.
UPDATE deal_types SET position = (
  SELECT count(*) FROM deal_types o
  WHERE o.deal_id = deal_types.deal_id
    AND (CASE o.type WHEN 'mou' THEN 0 WHEN 'strategic_partnership' THEN 1 WHEN 'joint_venture' THEN 2
      WHEN 'investment' THEN 3 WHEN 'licensing' THEN 4 WHEN 'rd_collaboration' THEN 5
      WHEN 'commercial_agreement' THEN 6 WHEN 'acquisition' THEN 7 ELSE 8 END)
    < (CASE deal_types.type WHEN 'mou' THEN 0 WHEN 'strategic_partnership' THEN 1 WHEN 'joint_venture' THEN 2
      WHEN 'investment' THEN 3 WHEN 'licensing' THEN 4 WHEN 'rd_collaboration' THEN 5
      WHEN 'commercial_agreement' THEN 6 WHEN 'acquisition' THEN 7 ELSE 8 END));--> statement-breakpoint
-- The per-month counts now key on the primary type: emptied, they are rebuilt at start (db/migrate.ts).
DELETE FROM stat_deal_months;
--> statement-breakpoint
-- The CSV cells list the types in that order too, as they do for deals saved from now on.
UPDATE deal_cells SET types = coalesce(
  (SELECT string_agg(type, '; ' ORDER BY position) FROM deal_types WHERE deal_id = deal_cells.deal_id), '');
