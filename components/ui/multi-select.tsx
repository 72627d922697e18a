"use client";

import { lazy, Suspense, type ComponentProps } from "react";
import type { MultiSelectControl as Control } from "./multi-select-control";

export type { Choice } from "./multi-select-control";

// The combobox (downshift and its keyboard handling) is 11 kB of compressed JavaScript that the page
// does not need to show itself: it loads after the page, like the charts. The server renders the
// whole control, so the page looks the same at once; React hydrates it when its code has arrived
// (the rest of the page does not wait). Only a page shown before that code is in the browser (a
// client-side navigation) shows the fallback below for a moment: the same label and field, not yet
// usable, and the chosen values as hidden inputs so a form sent meanwhile keeps them.
const LazyControl = lazy(() =>
  import("./multi-select-control").then((m) => ({ default: m.MultiSelectControl })),
);

type Props = ComponentProps<typeof Control>;

export function MultiSelect(props: Props) {
  return (
    <Suspense fallback={<Pending {...props} />}>
      <LazyControl {...props} />
    </Suspense>
  );
}

function Pending({ id, label, value, name, placeholder = "Any", choices }: Props) {
  const labelOf = (v: string) => choices.find((c) => c.value === v)?.label ?? v;
  return (
    <div className="multi-select">
      <label htmlFor={id}>{label}</label>
      <div className="multi-select-box">
        {value.map((v) => (
          <span key={v} className="chip">
            {labelOf(v)}
          </span>
        ))}
        <input id={id} disabled placeholder={value.length ? "" : placeholder} />
      </div>
      {name && value.map((v) => <input key={v} type="hidden" name={name} value={v} />)}
    </div>
  );
}
