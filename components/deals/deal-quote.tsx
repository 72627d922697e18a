import type { DealRecord } from "@/db/types";

/** A quote with its speaker, as the deal page and the briefs show it. */
export function DealQuote({ quote }: { quote: DealRecord["quotes"][number] }) {
  return (
    <blockquote className="quote">
      <p>“{quote.text}”</p>
      <footer>
        — <strong>{quote.speaker}</strong>
        {quote.speakerTitle && `, ${quote.speakerTitle}`}
        {quote.speakerCompany && `, ${quote.speakerCompany}`}
      </footer>
    </blockquote>
  );
}
