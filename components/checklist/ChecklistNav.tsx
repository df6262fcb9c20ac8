"use client";
/**
 * The self-inspection page's navigation: progress overall and per section
 * (answered / total, live as answers autosave), a sticky section list, a
 * "next unanswered" button and a filter by answer. Items and sections are
 * server-rendered inside ItemFrame / SectionFrame, which hide themselves by
 * the filter; the filter is applied when chosen and not re-applied while the
 * user answers, so nothing jumps away under the cursor.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { messages } from "@/lib/i18n";
import type { Answer } from "@/domain/checklist/template";

export const FILTERS = ["all", "unanswered", "implemented", "partial", "not_implemented", "not_applicable"] as const;
export type Filter = (typeof FILTERS)[number];

interface Section {
  id: string;
  title: string;
  items: string[];
}

interface State {
  answers: Record<string, Answer | null>;
  pending: Record<string, boolean>;
  filter: Filter;
  /** Items shown under the filter, fixed when the filter was chosen; undefined: all. */
  shown?: Set<string>;
  setAnswer(itemId: string, answer: Answer | null): void;
  setPending(itemId: string, pending: boolean): void;
  setFilter(filter: Filter): void;
}

const Ctx = createContext<State | null>(null);

/** The answer and pending hooks for one item (no-ops outside a provider). */
export function useChecklistItem(itemId: string) {
  const s = useContext(Ctx);
  return {
    setAnswer: (a: Answer | null) => s?.setAnswer(itemId, a),
    setPending: (p: boolean) => s?.setPending(itemId, p),
  };
}

const matches = (filter: Filter, a: Answer | null | undefined) => filter === "all" || (filter === "unanswered" ? !a : a === filter);

export function ChecklistProvider(props: { initial: Record<string, Answer | null>; children: ReactNode }) {
  const [answers, setAnswers] = useState(props.initial);
  const [pending, setPendingMap] = useState<Record<string, boolean>>({});
  const [filter, setFilterState] = useState<Filter>("all");
  const [shown, setShown] = useState<Set<string> | undefined>(undefined);
  const setAnswer = useCallback((itemId: string, a: Answer | null) => setAnswers((x) => ({ ...x, [itemId]: a })), []);
  const setPending = useCallback((itemId: string, p: boolean) => setPendingMap((x) => ({ ...x, [itemId]: p })), []);
  const setFilter = useCallback(
    (f: Filter) => {
      setFilterState(f);
      setShown(f === "all" ? undefined : new Set(Object.keys(answers).filter((id) => matches(f, answers[id]))));
    },
    [answers],
  );
  const value = useMemo(
    () => ({ answers, pending, filter, shown, setAnswer, setPending, setFilter }),
    [answers, pending, filter, shown, setAnswer, setPending, setFilter],
  );
  return <Ctx.Provider value={value}>{props.children}</Ctx.Provider>;
}

/** One item: hidden when the filter leaves it out, marked while its answer is being saved. */
export function ItemFrame(props: { itemId: string; children: ReactNode }) {
  const s = useContext(Ctx);
  const hidden = s?.shown !== undefined && !s.shown.has(props.itemId);
  const answer = s?.answers[props.itemId];
  return (
    <div
      className={`item-frame${s?.pending[props.itemId] ? " pending" : ""}`}
      data-answer={answer ?? "unanswered"}
      aria-busy={s?.pending[props.itemId] ? true : undefined}
      hidden={hidden}
    >
      {props.children}
    </div>
  );
}

/** One section: hidden when the filter leaves none of its items. */
export function SectionFrame(props: { items: string[]; children: ReactNode }) {
  const s = useContext(Ctx);
  const hidden = s?.shown !== undefined && !props.items.some((id) => s.shown!.has(id));
  return <div hidden={hidden}>{props.children}</div>;
}

const count = (ids: string[], answers: Record<string, Answer | null>) => ids.filter((id) => answers[id]).length;

export function ChecklistNav(props: { sections: Section[] }) {
  const s = useContext(Ctx)!;
  const all = props.sections.flatMap((x) => x.items);
  const answered = count(all, s.answers);
  const percent = all.length ? Math.round((answered / all.length) * 100) : 0;
  const [message, setMessage] = useState("");

  /** Scrolls to the first unanswered item below the top of the window (wrapping around), and focuses its first choice. */
  const next = () => {
    const open = all.filter((id) => !s.answers[id]);
    if (!open.length) {
      setMessage(messages["checklist.nav.allAnswered"]);
      return;
    }
    if (s.shown && open.some((id) => !s.shown!.has(id))) s.setFilter("all");
    const below = open.find((id) => (document.getElementById(`item-${id}`)?.getBoundingClientRect().top ?? 0) > 120);
    const target = below ?? open[0];
    setMessage("");
    // After a possible filter change has rendered the item.
    requestAnimationFrame(() => {
      const el = document.getElementById(`item-${target}`);
      el?.scrollIntoView({ block: "start" });
      el?.querySelector<HTMLInputElement>("input[type=radio]:not([disabled])")?.focus({ preventScroll: true });
    });
  };

  return (
    <nav className="checklist-nav" aria-label={messages["checklist.nav.label"]}>
      <div className="overall">
        <span id="checklist-progress-label">
          {messages["checklist.nav.progress"]} <strong data-testid="progress-count">{`${answered} / ${all.length}`}</strong>（{percent}%）
        </span>
        <progress max={all.length} value={answered} aria-labelledby="checklist-progress-label" data-testid="progress-bar" />
      </div>
      <button type="button" onClick={next} data-testid="next-unanswered">
        {messages["checklist.nav.next"]}
      </button>
      <span className="small" role="status">
        {message}
      </span>
      <label className="filter">
        {messages["checklist.nav.filter"]}
        <select value={s.filter} onChange={(e) => s.setFilter(e.target.value as Filter)} data-testid="answer-filter">
          {FILTERS.map((f) => (
            <option key={f} value={f}>
              {f === "all" ? messages["checklist.nav.all"] : messages[`checklist.answer.${f}`]}
            </option>
          ))}
        </select>
      </label>
      {s.shown && (
        <p className="small" data-testid="filter-count">
          {messages["checklist.nav.shown"]}：{s.shown.size} / {all.length}
        </p>
      )}
      <ol className="sections">
        {props.sections.map((x) => {
          const done = count(x.items, s.answers);
          return (
            <li key={x.id} className={done === x.items.length ? "done" : undefined}>
              <a href={`#section-${x.id}`} title={`${x.id} ${x.title}`}>
                <span className="mono">{x.id}</span> {x.title}
              </a>
              <span className="count" data-testid={`section-progress-${x.id}`}>{`${done}/${x.items.length}`}</span>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
