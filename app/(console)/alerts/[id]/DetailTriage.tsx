"use client";
/** The alert detail's triage form (only the actions valid for its state) and its comment form; results inline. */
import { useActionState } from "react";
import { triageAction, type ActionState } from "@/app/_actions/alerts";
import { PendingButton, TriageControls, TriageMessage, type TriageButton } from "@/components/TriageControls";
import { messages as m } from "@/lib/i18n";

export function DetailTriage({
  id,
  buttons,
  assignees,
  me,
}: {
  id: string;
  buttons: TriageButton[];
  assignees: { login: string; name: string }[];
  me: string;
}) {
  const [state, triage] = useActionState<ActionState, FormData>(triageAction, undefined);
  const [commented, comment] = useActionState<ActionState, FormData>(triageAction, undefined);
  return (
    <>
      {buttons.length > 0 && (
        <form action={triage} className="triage" aria-label={m["alert.triage"]}>
          <input type="hidden" name="ids" value={id} />
          <TriageControls buttons={buttons} assignees={assignees} me={me} />
          <TriageMessage state={state} />
        </form>
      )}
      <form action={comment} className="comment" aria-label={m["alert.comment"]}>
        <input type="hidden" name="ids" value={id} />
        <label>
          {m["alert.comment"]}
          <textarea name="note" rows={3} cols={50} maxLength={2000} />
        </label>
        <PendingButton value="note">{m["alert.addComment"]}</PendingButton>
        <TriageMessage state={commented} />
      </form>
    </>
  );
}
