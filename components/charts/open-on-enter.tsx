"use client";

import { useEffect, useRef } from "react";
import { useActiveTooltipDataPoints, useChartLayout } from "recharts";

/**
 * The keyboard for a chart. Recharts' accessibility layer makes a chart one tab stop and moves its
 * tooltip with the left and right arrows; this adds Enter and Space, which open the entry the
 * tooltip shows (what a click on it opens), lets the up and down arrows move too, and makes right
 * and down mean "next" in a ranking drawn top to bottom, where Recharts' right arrow goes up.
 * Render it as a child of the chart.
 */
export function OpenOnEnter<T>({ onOpen }: { onOpen: (entry: T) => void }) {
  const anchor = useRef<SVGGElement>(null);
  const points = useActiveTooltipDataPoints<T>();
  const layout = useChartLayout();
  const latest = useRef({ points, onOpen, layout });
  useEffect(() => {
    latest.current = { points, onOpen, layout };
  });
  useEffect(() => {
    const surface = anchor.current?.closest("svg");
    if (!surface) return;
    const remapped = new WeakSet<Event>();
    const onKeyDown = (event: KeyboardEvent) => {
      if (remapped.has(event)) return;
      if (event.key === "Enter" || event.key === " ") {
        const entry = latest.current.points?.[0];
        if (!entry) return;
        event.preventDefault();
        event.stopPropagation();
        latest.current.onOpen(entry);
        return;
      }
      const forward = event.key === "ArrowRight" || event.key === "ArrowDown";
      if (!forward && event.key !== "ArrowLeft" && event.key !== "ArrowUp") return;
      event.preventDefault();
      const key = forward !== (latest.current.layout === "vertical") ? "ArrowRight" : "ArrowLeft";
      if (key === event.key) return;
      event.stopPropagation();
      const copy = new KeyboardEvent("keydown", { key, bubbles: true });
      remapped.add(copy);
      surface.dispatchEvent(copy);
    };
    surface.addEventListener("keydown", onKeyDown);
    return () => surface.removeEventListener("keydown", onKeyDown);
  }, []);
  return <g ref={anchor} />;
}
