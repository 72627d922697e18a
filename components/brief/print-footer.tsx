"use client";

import { useEffect } from "react";

/**
 * Puts the page's title and today's date into `--print-footer`, which the @page rule in globals.css
 * prints at the foot of every page beside "Page n of m". CSS cannot know the date, and Chromium
 * prints a page's own margin boxes instead of its "Headers and footers" option, so the page says it.
 */
export function PrintFooter() {
  useEffect(() => {
    const set = () => {
      const date = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
      document.documentElement.style.setProperty(
        "--print-footer",
        JSON.stringify(`${document.title} · ${date}`),
      );
    };
    set();
    window.addEventListener("beforeprint", set);
    return () => window.removeEventListener("beforeprint", set);
  }, []);
  return null;
}
