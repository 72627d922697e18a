"use client";

import { useEffect, useRef } from "react";
import { useActiveTooltipDataPoints } from "recharts";

/**
 * Lets the keyboard open what a click on a bar opens. Recharts' accessibility layer already makes a
 * chart one tab stop and moves its tooltip with the arrow keys; this adds Enter and Space, which open
 * the entry the tooltip shows. Render it as a child of the chart.
 */
export function OpenOnEnter<T>({ onOpen }: { onOpen: (entry: T) => void }) {
  const anchor = useRef<SVGGElement>(null);
  const points = useActiveTooltipDataPoints<T>();
  const latest = useRef({ points, onOpen });
  useEffect(() => {
    latest.current = { points, onOpen };
  });
  useEffect(() => {
    const surface = anchor.current?.closest("svg");
    if (!surface) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Enter" && event.key !== " ") return;
      const entry = latest.current.points?.[0];
      if (!entry) return;
      event.preventDefault();
      event.stopPropagation();
      latest.current.onOpen(entry);
    };
    surface.addEventListener("keydown", onKeyDown);
    return () => surface.removeEventListener("keydown", onKeyDown);
  }, []);
  return <g ref={anchor} />;
}
