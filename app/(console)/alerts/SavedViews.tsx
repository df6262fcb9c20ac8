"use client";
/** The user's saved views of the queue: open one (a link), save the current filter and sort, remove one. */
import Link from "@/components/Link";
import { useActionState } from "react";
import { deleteViewAction, saveViewAction, type ActionState } from "@/app/_actions/alerts";
import { PendingButton, TriageMessage } from "@/components/TriageControls";
import { messages as m } from "@/lib/i18n";

export function SavedViews({ views, query }: { views: { id: number; name: string; query: string }[]; query: string }) {
  const [state, save] = useActionState<ActionState, FormData>(saveViewAction, undefined);
  return (
    <section className="views" aria-label={m["alert.views"]}>
      <strong>{m["alert.views"]}：</strong>
      {views.length === 0 && <span className="small">{m["alert.noViews"]}</span>}
      {views.map((v) => (
        <span key={v.id} className="view">
          <Link href={`/alerts?${v.query}`}>{v.name}</Link>
          <form action={deleteViewAction}>
            <input type="hidden" name="id" value={v.id} />
            <PendingButton name="delete" value={String(v.id)} label={`${v.name} ${m["alert.deleteView"]}`}>
              ×
            </PendingButton>
          </form>
        </span>
      ))}
      <form action={save} className="inline">
        <input type="hidden" name="query" value={query} />
        <label>
          {m["alert.viewName"]}
          <input name="name" size={14} maxLength={60} />
        </label>
        <PendingButton name="save" value="1">
          {m["alert.saveView"]}
        </PendingButton>
      </form>
      <TriageMessage state={state} />
    </section>
  );
}
