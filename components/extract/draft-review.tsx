"use client";

import Link from "next/link";
import { useMemo, useState, type ReactNode } from "react";
import { DealForm, type SaveDeal } from "@/components/deals/deal-form";
import { inputId } from "@/components/deals/deal-form-rows";
import { draftToFormValues } from "@/components/deals/deal-form-values";
import { FieldNotesProvider } from "@/components/ui/field";
import type { ArticleDraft } from "@/lib/extract/draft";
import type { CompanyResolution } from "@/lib/extract/types";
import { companyKey } from "@/lib/names";
import { ArticleText, markedPassages } from "./article-text";
import { KnownDeals, type AddToDeal } from "./known-deals";

type Choice = { use: string; existing: boolean; keepAlias: boolean };

/** What the analyst has decided for an extracted name: the company to use, and whether to keep the spelling. */
function initialChoice(r: CompanyResolution): Choice {
  if (r.match)
    return { use: r.match.name, existing: true, keepAlias: companyKey(r.name) !== companyKey(r.match.name) };
  // A close spelling is only ever a suggestion: until the analyst picks it, the name is a new company.
  return { use: r.name, existing: false, keepAlias: true };
}

/** The fields a draft can leave empty, and how the review says so. */
const MISSING: [path: string, empty: (d: ArticleDraft["draft"]) => boolean, say: string][] = [
  ["title", (d) => !d.title, "No headline found: write one."],
  [
    "announcedOn",
    (d) => !d.announcedOn,
    "No announcement date in the article or its page: none was guessed.",
  ],
  ["types", (d) => d.types.length === 0, "No deal type recognised."],
  ["parties", (d) => d.parties.length < 2, "Fewer than two parties found."],
  ["technologies", (d) => d.technologies.length === 0, "No technology area recognised."],
  ["summary", (d) => !d.summary, "No lead sentence to summarise."],
  ["value.amount", (d) => !d.value, "No value disclosed."],
  ["quotes", (d) => d.quotes.length === 0, "No direct quotes found."],
  [
    "sources.0.url",
    (d) => !d.sources[0]?.url,
    "No web address: it is saved as pasted text under its publisher; add the article's link if it has one.",
  ],
];

export function DraftReview({
  result,
  technologyNames,
  teams,
  save,
  addToDeal,
}: {
  result: ArticleDraft;
  technologyNames: string[];
  teams?: { slug: string; name: string }[];
  save: SaveDeal;
  addToDeal: AddToDeal;
}) {
  const { draft, evidence, companies, duplicates, article, warnings } = result;
  const newAreas = useMemo(() => result.newAreas ?? [], [result.newAreas]);
  const [choices, setChoices] = useState(() => companies.map(initialChoice));
  // Proposed new areas join the draft only when the editor ticks them.
  const [areasToAdd, setAreasToAdd] = useState<string[]>([]);
  const { marked, anchorOf } = useMemo(
    () =>
      markedPassages(article.text, {
        ...evidence,
        ...Object.fromEntries(newAreas.map((area, i) => [`newAreas.${i}`, area.evidence])),
      }),
    [article.text, evidence, newAreas],
  );

  // The form starts from the draft with the analyst's company decisions; deciding again re-drafts it.
  const chosen = (company: string) => {
    const i = companies.findIndex((r) => (r.match?.name ?? r.name) === company);
    return i < 0 ? company : choices[i]!.use;
  };
  const values = draftToFormValues({
    ...draft,
    parties: draft.parties.map((p) => ({ ...p, company: chosen(p.company) })),
    technologies: [...draft.technologies, ...areasToAdd],
  });
  const aliases = companies.flatMap((r, i) =>
    choices[i]!.existing && choices[i]!.keepAlias && companyKey(r.name) !== companyKey(choices[i]!.use)
      ? [{ alias: r.name, company: choices[i]!.use }]
      : [],
  );

  const notes = (id: string): ReactNode => {
    const path = Object.keys(evidence).find((p) => inputId(p) === id);
    const e = path ? evidence[path] : undefined;
    if (e) {
      return (
        <>
          From the article: “{e.snippet.length > 140 ? `${e.snippet.slice(0, 140)}…` : e.snippet}” ·{" "}
          {Math.round(e.confidence * 100)}% sure · <a href={`#${anchorOf[path!]}`}>Show in article</a>
        </>
      );
    }
    const missing = MISSING.find(([p, empty]) => inputId(p) === id && empty(draft));
    return missing ? <span className="muted">{missing[2]}</span> : null;
  };

  return (
    <div className="draft-review">
      <KnownDeals duplicates={duplicates} draft={draft} addToDeal={addToDeal} />
      {warnings.length > 0 && (
        <div className="alert warn" role="status">
          <ul>
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      <section className="card section-gap" aria-labelledby="parties-found-h">
        <h2 id="parties-found-h">Companies in the article</h2>
        <ul className="plain-list">
          {companies.map((r, i) => (
            <CompanyChoice
              key={r.name}
              resolution={r}
              choice={choices[i]!}
              onChange={(choice) => setChoices((list) => list.map((c, j) => (j === i ? choice : c)))}
            />
          ))}
        </ul>
      </section>
      {newAreas.length > 0 && (
        <section className="card section-gap" aria-labelledby="new-areas-h">
          <h2 id="new-areas-h">New technology areas?</h2>
          <p className="muted small">
            The article turns on areas Atlas does not have yet. Tick one to add it to this deal; it is created
            when you save.
          </p>
          <ul className="plain-list">
            {newAreas.map((area, i) => (
              <li key={area.name}>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={areasToAdd.includes(area.name)}
                    onChange={(e) =>
                      setAreasToAdd((list) =>
                        e.target.checked ? [...list, area.name] : list.filter((name) => name !== area.name),
                      )
                    }
                  />
                  Add “{area.name}” as a new technology area
                </label>{" "}
                <span className="small muted">
                  From the article: “{area.evidence.snippet}” ·{" "}
                  <a href={`#${anchorOf[`newAreas.${i}`]}`}>Show in article</a>
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="review-grid section-gap">
        <div>
          <h2>Review the draft</h2>
          <p className="muted">Nothing is saved until you press Save deal.</p>
          <FieldNotesProvider value={notes}>
            <DealForm
              key={JSON.stringify([choices, areasToAdd])}
              initialValues={values}
              technologyNames={[...technologyNames, ...areasToAdd]}
              teams={teams}
              save={save}
              extra={{ aliases }}
            />
          </FieldNotesProvider>
        </div>
        <aside className="card article-panel" aria-labelledby="article-h">
          <h2 id="article-h">The article</h2>
          {article.title && <p className="strong">{article.title}</p>}
          {article.url && (
            <p className="small">
              <a href={article.url} rel="noreferrer noopener" target="_blank">
                {article.url}
              </a>
            </p>
          )}
          <ArticleText text={article.text} marked={marked} />
        </aside>
      </div>
    </div>
  );
}

function CompanyChoice({
  resolution: r,
  choice,
  onChange,
}: {
  resolution: CompanyResolution;
  choice: Choice;
  onChange: (choice: Choice) => void;
}) {
  const aliasBox = choice.existing && companyKey(r.name) !== companyKey(choice.use) && (
    <label className="checkbox">
      <input
        type="checkbox"
        checked={choice.keepAlias}
        onChange={(e) => onChange({ ...choice, keepAlias: e.target.checked })}
      />
      Keep “{r.name}” as an alias of {choice.use}
    </label>
  );
  if (r.match) {
    return (
      <li>
        “{r.name}” is <Link href={`/companies/${r.match.slug}`}>{r.match.name}</Link>{" "}
        <span className="badge">Known company</span>
        {aliasBox}
      </li>
    );
  }
  if (!r.suggestions.length) {
    return (
      <li>
        “{r.name}” <span className="badge">New company</span>
      </li>
    );
  }
  const name = `company-choice-${companyKey(r.name)}`;
  return (
    <li>
      <fieldset className="plain-fieldset">
        <legend>
          “{r.name}” is not a known company. Did you mean {r.suggestions[0]!.name}?
        </legend>
        {r.suggestions.map((s) => (
          <label key={s.slug} className="checkbox">
            <input
              type="radio"
              name={name}
              checked={choice.existing && choice.use === s.name}
              onChange={() => onChange({ use: s.name, existing: true, keepAlias: true })}
            />
            Use {s.name}
          </label>
        ))}
        <label className="checkbox">
          <input
            type="radio"
            name={name}
            checked={!choice.existing}
            onChange={() => onChange({ use: r.name, existing: false, keepAlias: true })}
          />
          New company “{r.name}”
        </label>
        {aliasBox}
      </fieldset>
    </li>
  );
}
