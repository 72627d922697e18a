/**
 * What the one "Article" box holds, as the body POST /api/extract takes: a lone web address is
 * fetched, markup is read as a page, anything else is the article's text.
 */
export function articleRequest(box: string, publishedOn: string) {
  const value = box.trim();
  const extra = publishedOn ? { publishedOn } : {};
  if (/^https?:\/\/\S+$/i.test(value)) return { url: value, ...extra };
  if (/<(html|body|article|p|div|h1|meta)\b[^>]*>/i.test(value)) return { html: box, ...extra };
  return { text: box, ...extra };
}
