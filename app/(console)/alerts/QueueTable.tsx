"use client";
/**
 * The alert queue's table and bulk bar: selection (row, this page, every
 * alert matching the filter), incident groups that expand, keyboard
 * navigation (j/k move, x select, Enter open) and triage with inline results.
 */
import Link from "@/components/Link";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useState } from "react";
import { triageAction, type ActionState } from "@/app/_actions/alerts";
import { TriageControls, TriageMessage, type TriageButton } from "@/components/TriageControls";
import { messages as m, type MessageKey } from "@/lib/i18n";

export interface QueueRow {
  id: string;
  href: string;
  severity: string;
  ruleName: string;
  organizationName: string;
  organizationId: string;
  entity: string;
  time: string;
  summary: string;
  status: string;
  assignee: string;
  age: string;
  due: string;
  overdue: boolean;
}

export interface SortHeader {
  key: string;
  label: string;
  href: string;
  sort?: "ascending" | "descending";
}

interface Props {
  groups: { head: QueueRow; members: QueueRow[] }[];
  headers: SortHeader[];
  total: number;
  filter: string;
  canTriage: boolean;
  buttons: TriageButton[];
  assignees: { login: string; name: string }[];
  me: string;
}

/** Keys typed into a field are text, not commands (a checkbox is not a text field). */
const typing = (el: EventTarget | null) => {
  const e = el as HTMLInputElement | null;
  return !!e && (e.tagName === "SELECT" || e.tagName === "TEXTAREA" || (e.tagName === "INPUT" && e.type !== "checkbox") || e.isContentEditable);
};

export function QueueTable({ groups, headers, total, filter, canTriage, buttons, assignees, me }: Props) {
  const router = useRouter();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [state, submit] = useActionState<ActionState, FormData>(async (prev, form) => {
    const result = await triageAction(prev, form);
    if (result?.ok) {
      setSelected(new Set());
      setAllMatching(false);
    }
    return result;
  }, undefined);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [cursor, setCursor] = useState(-1);
  const rowsRef = useRef<Map<string, HTMLTableRowElement>>(new Map());
  const tableRef = useRef<HTMLTableElement>(null);
  const pageIds = groups.flatMap((g) => g.members.map((r) => r.id));
  const visible = groups.flatMap((g) => (expanded.has(g.head.id) ? g.members : [g.head]));

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      setAllMatching(false);
      return next;
    });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (e.key === "j" || e.key === "k") {
        e.preventDefault();
        setCursor((c) => Math.min(visible.length - 1, Math.max(0, c < 0 ? 0 : c + (e.key === "j" ? 1 : -1))));
      } else if (e.key === "x" && cursor >= 0 && canTriage) {
        e.preventDefault();
        toggle(visible[cursor].id);
      } else if (e.key === "Enter" && cursor >= 0 && !["BUTTON", "A", "INPUT"].includes((e.target as HTMLElement)?.tagName)) {
        e.preventDefault();
        router.push(visible[cursor].href);
      }
    };
    document.addEventListener("keydown", onKey);
    // Marks the table once the shortcuts listen (after hydration): keys typed before that go nowhere.
    tableRef.current?.setAttribute("data-keys", "ready");
    return () => document.removeEventListener("keydown", onKey);
  });

  useEffect(() => {
    if (cursor >= 0) rowsRef.current.get(visible[cursor]?.id)?.scrollIntoView({ block: "nearest" });
  }, [cursor, visible]);

  const pageSelected = pageIds.length > 0 && pageIds.every((id) => selected.has(id));
  const row = (r: QueueRow, group: { size: number; head: boolean; open: boolean } | undefined) => {
    const focused = visible[cursor]?.id === r.id;
    return (
      <tr
        key={r.id}
        ref={(el) => {
          if (el) rowsRef.current.set(r.id, el);
          else rowsRef.current.delete(r.id);
        }}
        className={[focused ? "focused" : "", group && !group.head ? "member" : ""].join(" ").trim() || undefined}
        aria-current={focused || undefined}
        data-alert={r.id}
      >
        {canTriage && (
          <td>
            <input
              type="checkbox"
              value={r.id}
              checked={allMatching || selected.has(r.id)}
              onChange={() => toggle(r.id)}
              aria-label={`${m["alert.select"]} ${r.id}`}
            />
          </td>
        )}
        <td>{r.time}</td>
        <td>
          <span className={`sev sev-${r.severity}`}>{m[`severity.${r.severity}` as MessageKey] ?? r.severity}</span>
        </td>
        <td>
          <Link href={r.href}>{r.ruleName}</Link>
          {group?.head && group.size > 1 && (
            <button
              type="button"
              className="group-toggle"
              aria-expanded={group.open}
              title={m["alert.groupToggle"]}
              onClick={() =>
                setExpanded((s) => {
                  const next = new Set(s);
                  if (next.has(r.id)) next.delete(r.id);
                  else next.add(r.id);
                  return next;
                })
              }
            >
              {m["alert.group"]} {group.size}
              {group.open ? "▾" : "▸"}
            </button>
          )}
        </td>
        <td>
          <abbr title={r.organizationId}>{r.organizationName}</abbr>
        </td>
        <td>{r.entity}</td>
        <td>{r.summary}</td>
        <td>{m[`status.${r.status}` as MessageKey]}</td>
        <td>{r.assignee}</td>
        <td className="num">{r.age}</td>
        <td className={r.overdue ? "overdue" : undefined}>
          {r.due}
          {r.overdue && `（${m["alert.overdue"]}）`}
        </td>
      </tr>
    );
  };

  return (
    <form action={submit} aria-label={m["alert.bulk"]}>
      {!allMatching && [...selected].map((id) => <input key={id} type="hidden" name="ids" value={id} />)}
      {allMatching && (
        <>
          <input type="hidden" name="all" value="1" />
          <input type="hidden" name="filter" value={filter} />
        </>
      )}
      {canTriage && (
        <div className="bulk">
          <span>
            {allMatching ? total.toLocaleString("ja-JP") : selected.size}
            {m["alert.selected"]}
          </span>
          <TriageControls buttons={buttons} assignees={assignees} me={me} />
        </div>
      )}
      <TriageMessage state={state} />
      {canTriage && pageSelected && total > pageIds.length && (
        <p className="notice">
          {allMatching ? (
            <>
              {m["alert.allMatchingSelected"]}（{total.toLocaleString("ja-JP")}
              {m["alert.total"]}）{" "}
              <button type="button" onClick={() => (setAllMatching(false), setSelected(new Set()))}>
                {m["alert.clearSelection"]}
              </button>
            </>
          ) : (
            <button type="button" onClick={() => setAllMatching(true)}>
              {m["alert.selectAllMatching"]}（{total.toLocaleString("ja-JP")}
              {m["alert.total"]}）
            </button>
          )}
        </p>
      )}
      <table className="alerts" ref={tableRef}>
        <thead>
          <tr>
            {canTriage && (
              <th>
                <input
                  type="checkbox"
                  checked={pageSelected}
                  aria-label={m["alert.selectPage"]}
                  onChange={() => (setAllMatching(false), setSelected(pageSelected ? new Set() : new Set(pageIds)))}
                />
              </th>
            )}
            {headers.map((h) => (
              <th key={h.key} aria-sort={h.sort}>
                {h.href ? (
                  <Link href={h.href}>
                    {h.label}
                    {h.sort === "ascending" ? " ▲" : h.sort === "descending" ? " ▼" : ""}
                  </Link>
                ) : (
                  h.label
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {groups.flatMap((g) => {
            const open = expanded.has(g.head.id);
            const info = (head: boolean) => ({ size: g.members.length, head, open });
            return open ? g.members.map((r, i) => row(r, info(i === 0))) : [row(g.head, info(true))];
          })}
        </tbody>
      </table>
    </form>
  );
}
