"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import type { CompanySummary } from "@/db/types";
import { REASON_LABELS, scoreDuplicate } from "@/lib/duplicates";
import { companyKey } from "@/lib/names";
import { queryKeys } from "@/lib/query-keys";
import { plural } from "@/lib/plural";

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

async function fetchCompanies(q: string, limit = 8): Promise<CompanySummary[]> {
  const response = await fetch(`/api/companies?${new URLSearchParams({ q, limit: String(limit) })}`);
  if (!response.ok) throw new Error(`Company search failed (${response.status})`);
  return (await response.json()).items;
}

/** The server's identity key (look-alikes, invisible characters and legal suffixes folded). */
const loose = companyKey;

/**
 * A company name field with type-ahead over names and aliases. Typing a name that matches nothing
 * is allowed: the company is created when the deal is saved.
 */
export function CompanyInput({
  id,
  value,
  onChange,
  invalid,
  describedBy,
  label,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  invalid: boolean;
  describedBy?: string;
  label: string;
}) {
  const listId = useId();
  const hintId = `${id}-hint`;
  const q = useDebounced(value.trim(), 200);
  const { data, isFetching, isError } = useQuery({
    queryKey: queryKeys.companySearch(q),
    queryFn: () => fetchCompanies(q),
    enabled: q.length >= 1,
  });
  const match = data?.find((c) => loose(c.name) === loose(q) || c.aliases.some((a) => loose(a) === loose(q)));
  // A new name: look among companies starting alike for a probable duplicate (a typo, a suffix).
  const prefix = loose(q).slice(0, 3);
  const similar = useQuery({
    queryKey: queryKeys.companySearch(`${prefix}…`),
    queryFn: () => fetchCompanies(prefix, 50),
    enabled: prefix.length === 3 && Boolean(data) && !match,
  });
  const probable = match
    ? undefined
    : similar.data
        ?.map((c) => ({ company: c, score: scoreDuplicate({ name: q }, { name: c.name }) }))
        .filter((c) => c.score)
        .sort((a, b) => b.score!.score - a.score!.score)[0];
  let hint = "";
  if (q && !isFetching && data) {
    hint = match
      ? match.name === value.trim()
        ? `Existing company · ${plural(match.dealCount, "deal")}`
        : `Will link to ${match.name}`
      : probable
        ? `New company, but it may be a duplicate of ${probable.company.name} (${probable
            .score!.reasons.map((r) => REASON_LABELS[r].toLowerCase())
            .join(", ")}): check before saving`
        : "New company: it will be created when you save";
  }
  if (isError) hint = "Suggestions are unavailable; you can still type the name.";
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        list={listId}
        value={value}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={invalid || undefined}
        aria-describedby={[describedBy, hintId].filter(Boolean).join(" ")}
      />
      <datalist id={listId}>
        {data?.map((c) => (
          <option key={c.id} value={c.name}>
            {c.aliases.length ? `also ${c.aliases.join(", ")}` : (c.country ?? "")}
          </option>
        ))}
      </datalist>
      <div id={hintId} className="suggestions" aria-live="polite">
        {hint}
      </div>
    </>
  );
}
