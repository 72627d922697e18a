-- Fill deal_cells for deals that existed before the table (kept in step by db/mutations.ts after).
INSERT OR REPLACE INTO deal_cells (deal_id, types, parties, technologies, first_source_url, quote_count, sources_json, quotes_json)
    SELECT d.id,
      coalesce((SELECT group_concat(type, '; ' ORDER BY type) FROM deal_types WHERE deal_id = d.id), ''),
      coalesce((SELECT group_concat(c.name || ' (' || p.role || ')', '; ' ORDER BY p.position)
         FROM deal_parties p JOIN companies c ON c.id = p.company_id WHERE p.deal_id = d.id), ''),
      coalesce((SELECT group_concat(t.name, '; ' ORDER BY t.name)
         FROM deal_technologies dt JOIN technologies t ON t.id = dt.technology_id WHERE dt.deal_id = d.id), ''),
      (SELECT url FROM sources WHERE deal_id = d.id ORDER BY position LIMIT 1),
      (SELECT count(*) FROM quotes WHERE deal_id = d.id),
      coalesce((SELECT json_group_array(json_object('url', url, 'title', title, 'publisher', publisher, 'publishedOn', published_on) ORDER BY position)
         FROM sources WHERE deal_id = d.id), '[]'),
      coalesce((SELECT json_group_array(json_object('text', text, 'speaker', speaker, 'speakerTitle', speaker_title, 'speakerCompany', speaker_company) ORDER BY position)
         FROM quotes WHERE deal_id = d.id), '[]')
    FROM deals d;
