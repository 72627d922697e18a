"use client";

import { useCombobox, useMultipleSelection } from "downshift";
import { useMemo, useState, useSyncExternalStore } from "react";

const noSubscription = () => () => {};
const onTheClient = () => true;
const onTheServer = () => false;

export type Choice = {
  value: string;
  label: string;
  /** Shown indented under its parent. */ child?: boolean;
};

/**
 * Several values from a long list: a combobox to type into (ARIA 1.2, by downshift) with the chosen
 * values as chips before it. Keyboard: type to narrow, arrows and Enter to add, Left arrow to reach
 * the chips, Backspace or Delete to remove one. With `name`, each value rides along as a hidden input,
 * so a plain GET form submits them as repeated parameters.
 */
export function MultiSelectControl({
  id,
  label,
  choices,
  value,
  onChange,
  name,
  placeholder = "Any",
}: {
  id: string;
  label: string;
  choices: readonly Choice[];
  value: readonly string[];
  onChange?: (values: string[]) => void;
  name?: string;
  placeholder?: string;
}) {
  const hydrated = useSyncExternalStore(noSubscription, onTheClient, onTheServer);
  // Uncontrolled inside a form (its hidden inputs carry the values); controlled when told of changes.
  const [own, setOwn] = useState<string[]>([...value]);
  const selected = useMemo(() => (onChange ? [...value] : own), [onChange, value, own]);
  const set = (values: string[]) => (onChange ? onChange(values) : setOwn(values));
  const [inputValue, setInputValue] = useState("");
  const byValue = useMemo(() => new Map(choices.map((c) => [c.value, c])), [choices]);
  const items = useMemo(() => {
    const wanted = inputValue.trim().toLowerCase();
    return choices.filter(
      (c) =>
        !selected.includes(c.value) &&
        (!wanted || c.label.toLowerCase().includes(wanted) || c.value.toLowerCase() === wanted),
    );
  }, [choices, selected, inputValue]);

  const { getSelectedItemProps, getDropdownProps, removeSelectedItem } = useMultipleSelection<string>({
    selectedItems: selected,
    onStateChange({ selectedItems, type }) {
      switch (type) {
        case useMultipleSelection.stateChangeTypes.SelectedItemKeyDownBackspace:
        case useMultipleSelection.stateChangeTypes.SelectedItemKeyDownDelete:
        case useMultipleSelection.stateChangeTypes.DropdownKeyDownBackspace:
        case useMultipleSelection.stateChangeTypes.FunctionRemoveSelectedItem:
          set(selectedItems ?? []);
          break;
      }
    },
  });
  const { isOpen, getLabelProps, getMenuProps, getInputProps, getItemProps, highlightedIndex } =
    useCombobox<Choice>({
      id,
      inputId: id,
      items,
      itemToString: (item) => item?.label ?? "",
      defaultHighlightedIndex: 0,
      selectedItem: null,
      // The text box keeps its own text (downshift's state): controlling it from ours lagged a render
      // behind fast typing and dropped letters. Ours only narrows the list.
      stateReducer(state, { changes, type }) {
        switch (type) {
          // Stay open after adding one, so several can be added in a row.
          case useCombobox.stateChangeTypes.InputKeyDownEnter:
          case useCombobox.stateChangeTypes.ItemClick:
            return { ...changes, isOpen: true, highlightedIndex: state.highlightedIndex, inputValue: "" };
          // Leaving the field adds nothing: only a deliberate Enter or click does.
          case useCombobox.stateChangeTypes.InputBlur:
            return { ...changes, selectedItem: null, inputValue: "" };
          default:
            return changes;
        }
      },
      onStateChange({ inputValue: typed, type, selectedItem }) {
        switch (type) {
          case useCombobox.stateChangeTypes.InputKeyDownEnter:
          case useCombobox.stateChangeTypes.ItemClick:
            if (selectedItem) set([...selected, selectedItem.value]);
            setInputValue("");
            break;
          case useCombobox.stateChangeTypes.InputChange:
            setInputValue(typed ?? "");
            break;
          case useCombobox.stateChangeTypes.InputBlur:
            setInputValue("");
            break;
        }
      },
    });

  return (
    <div className="multi-select">
      <label {...getLabelProps()}>{label}</label>
      <div className="multi-select-box">
        {selected.map((v, index) => (
          <span key={v} className="chip" {...getSelectedItemProps({ selectedItem: v, index })}>
            {byValue.get(v)?.label ?? v}
            <button
              type="button"
              className="chip-remove"
              tabIndex={-1}
              aria-label={`Remove ${byValue.get(v)?.label ?? v}`}
              onClick={(e) => {
                e.stopPropagation();
                removeSelectedItem(v);
              }}
            >
              ×
            </button>
          </span>
        ))}
        <input
          placeholder={selected.length ? "" : placeholder}
          // Disabled as the server renders it, until React has this control's code (./multi-select.tsx
          // loads it after the page): typing into it before then would be lost.
          disabled={!hydrated}
          {...getInputProps(getDropdownProps({ preventKeyAction: isOpen }))}
        />
      </div>
      <ul className="multi-select-menu" hidden={!(isOpen && items.length)} {...getMenuProps()}>
        {isOpen &&
          items.map((item, index) => (
            <li
              key={item.value}
              className={`${item.child ? "child" : ""}${highlightedIndex === index ? " highlighted" : ""}`}
              {...getItemProps({ item, index })}
            >
              {item.label}
            </li>
          ))}
      </ul>
      {name && selected.map((v) => <input key={v} type="hidden" name={name} value={v} />)}
    </div>
  );
}
