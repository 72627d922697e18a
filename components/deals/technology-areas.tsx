"use client";

import { useState } from "react";
import { controlProps, FieldError, FieldNote } from "@/components/ui/field";
import { DEAL_FIELD_LABELS } from "@/lib/deal-columns";

/**
 * The deal's technology areas: the known taxonomy as checkboxes, plus a box that adds a new area
 * (matched case-insensitively against the known ones first).
 */
export function TechnologyAreas({
  id,
  known,
  chosen,
  onChange,
  errors,
}: {
  id: string;
  known: string[];
  chosen: string[];
  onChange: (chosen: string[]) => void;
  errors?: string[];
}) {
  const [areas, setAreas] = useState(() => [...new Set([...known, ...chosen])]);
  const [newArea, setNewArea] = useState("");

  function addArea() {
    const name = newArea.trim().replace(/\s+/g, " ");
    if (!name) return;
    const existing = areas.find((a) => a.toLowerCase() === name.toLowerCase());
    const area = existing ?? name;
    if (!existing) setAreas((list) => [...list, name]);
    if (!chosen.includes(area)) onChange([...chosen, area]);
    setNewArea("");
  }

  return (
    <fieldset className="card form-section" {...controlProps(id, { invalid: Boolean(errors?.length) })}>
      <legend>{DEAL_FIELD_LABELS.technologies}</legend>
      <div className="checkbox-grid">
        {areas.map((name) => (
          <label key={name} className="checkbox">
            <input
              type="checkbox"
              checked={chosen.includes(name)}
              onChange={(e) =>
                onChange(e.target.checked ? [...chosen, name] : chosen.filter((x) => x !== name))
              }
            />
            {name}
          </label>
        ))}
      </div>
      <FieldError id={id} messages={errors} />
      <FieldNote id={id} />
      <div className="actions" style={{ marginTop: "0.75rem", alignItems: "flex-end" }}>
        <div style={{ flex: "0 1 280px" }}>
          <label htmlFor={`${id}-new`}>New technology area</label>
          <input
            id={`${id}-new`}
            type="text"
            value={newArea}
            onChange={(e) => setNewArea(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                addArea();
              }
            }}
          />
        </div>
        <button type="button" className="button small" onClick={addArea}>
          Add area
        </button>
      </div>
    </fieldset>
  );
}
