import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";

export interface CompletionItem {
  text: string;
  source: string;
}

/**
 * Whole-query completion under a search box, as an ARIA combobox with a listbox (the "list
 * autocomplete with manual selection" pattern): ↓/↑ move through the suggestions without touching
 * the box, Enter (or a click) puts the chosen one in the box, Escape closes the list. The query is
 * never rewritten by itself: only a choice changes it.
 */
export function useCompletion(url: string | undefined, onChoose: (text: string) => void, isFocused: () => boolean) {
  const [items, setItems] = useState<CompletionItem[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const pending = useRef<AbortController | null>(null);

  const close = useCallback(() => {
    clearTimeout(timer.current);
    pending.current?.abort();
    setOpen(false);
    setActive(-1);
  }, []);

  useEffect(() => () => {
    clearTimeout(timer.current);
    pending.current?.abort();
  }, []);

  const typed = useCallback(
    (value: string) => {
      if (!url) return;
      clearTimeout(timer.current);
      pending.current?.abort();
      if (value.trim().length < 2) {
        setItems([]);
        close();
        return;
      }
      timer.current = setTimeout(() => {
        const controller = new AbortController();
        pending.current = controller;
        fetch(`${url}?${new URLSearchParams({ q: value.slice(0, 200) }).toString()}`, { signal: controller.signal, headers: { Accept: "application/json" } })
          .then((r) => (r.ok ? (r.json() as Promise<{ items: CompletionItem[] }>) : { items: [] }))
          .then((body) => {
            if (controller.signal.aborted) return;
            setItems(body.items);
            setActive(-1);
            // Suggestions that arrive after the person left the box wait for the next keystroke.
            setOpen(body.items.length > 0 && isFocused());
          })
          // An aborted or failed request just means no suggestions this time.
          .catch(() => undefined);
      }, 120);
    },
    [url, close, isFocused],
  );

  const choose = useCallback(
    (i: number) => {
      const item = items[i];
      if (!item) return;
      close();
      setItems([]);
      onChoose(item.text);
    },
    [items, close, onChoose],
  );

  /** Returns true when the key was the list's (the page's own shortcuts must not see it). */
  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLInputElement>): boolean => {
      if (!open || items.length === 0) return false;
      if (e.key === "ArrowDown") setActive((a) => Math.min(a + 1, items.length - 1));
      else if (e.key === "ArrowUp") setActive((a) => Math.max(a - 1, -1));
      else if (e.key === "Escape") close();
      else if (e.key === "Enter" && active >= 0) choose(active);
      else return false;
      e.preventDefault();
      e.stopPropagation();
      return true;
    },
    [open, items, active, close, choose],
  );

  return { items, open: open && items.length > 0, active, typed, close, choose, onKeyDown };
}

export function CompletionList({ id, items, active, open, onChoose }: { id: string; items: CompletionItem[]; active: number; open: boolean; onChoose: (i: number) => void }) {
  return (
    <>
      <ul id={id} role="listbox" aria-label="Suggested searches" className="completions" hidden={!open}>
        {items.map((item, i) => (
          <li
            key={item.text}
            id={`${id}-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? "active" : undefined}
            // Keep the focus in the box: the click chooses, the box stays where the person types.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onChoose(i)}
          >
            <span className="completion-text">{item.text}</span>
            <span className="completion-source">{item.source === "certified" ? "certified question" : item.source}</span>
          </li>
        ))}
      </ul>
      <p className="visually-hidden" aria-live="polite">
        {open ? `${items.length} suggested search${items.length === 1 ? "" : "es"}: up and down arrows to pick, Enter to search for it.` : ""}
      </p>
    </>
  );
}
