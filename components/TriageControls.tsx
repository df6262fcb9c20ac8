"use client";
/**
 * The triage buttons and fields of the alert queue (bulk) and the alert
 * detail: only the actions valid for the alert's state, a pending indicator
 * on the button pressed (useFormStatus), the result as an inline message.
 * Rendered inside a form bound (useActionState) to triageAction.
 */
import { useFormStatus } from "react-dom";
import type { ActionState } from "@/app/_actions/alerts";
import { messages as m, type MessageKey } from "@/lib/i18n";

export type TriageButton = "acknowledge" | "assignMe" | "assign" | "close" | "reopen" | "note";

const LABEL: Record<TriageButton, MessageKey> = {
  acknowledge: "alert.acknowledge",
  assignMe: "alert.assignToMe",
  assign: "alert.assign",
  close: "alert.close",
  reopen: "alert.reopen",
  note: "alert.addComment",
};

/** A submit button of a multi-button form: "処理中…" on the one pressed while the action runs; all disabled meanwhile. */
export function PendingButton({ name = "action", value, label, children }: { name?: string; value: string; label?: string; children: React.ReactNode }) {
  const { pending, data } = useFormStatus();
  const mine = pending && data?.get(name) === value;
  return (
    <button name={name} value={value} disabled={pending} aria-busy={mine || undefined} aria-label={label}>
      {mine ? m["alert.pending"] : children}
    </button>
  );
}

export function TriageMessage({ state }: { state: ActionState }) {
  if (!state) return null;
  return (
    <p className={state.ok ? "notice" : "error"} role={state.ok ? "status" : "alert"}>
      {state.message}
    </p>
  );
}

export function TriageControls({ buttons, assignees, me }: { buttons: TriageButton[]; assignees: { login: string; name: string }[]; me: string }) {
  const has = (b: TriageButton) => buttons.includes(b);
  return (
    <>
      {has("acknowledge") && <PendingButton value="acknowledge">{m["alert.acknowledge"]}</PendingButton>}
      {has("assignMe") && <PendingButton value="assignMe">{m["alert.assignToMe"]}</PendingButton>}
      {has("assign") && (
        <>
          <label>
            {m["alert.assignee"]}
            <select name="assignee" defaultValue={me}>
              {assignees.map((u) => (
                <option key={u.login} value={u.login}>
                  {u.name}（{u.login}）
                </option>
              ))}
            </select>
          </label>
          <PendingButton value="assign">{m[LABEL.assign]}</PendingButton>
        </>
      )}
      {has("close") && (
        <label>
          {m["alert.disposition"]}
          <select name="disposition" defaultValue="">
            <option value="">—</option>
            {["true_positive", "false_positive", "benign"].map((d) => (
              <option key={d} value={d}>
                {m[`disposition.${d}` as MessageKey]}
              </option>
            ))}
          </select>
        </label>
      )}
      {(has("close") || has("note") || has("reopen")) && (
        <label>
          {m["alert.note"]}
          <input name="note" size={30} maxLength={2000} />
        </label>
      )}
      {has("close") && <PendingButton value="close">{m["alert.close"]}</PendingButton>}
      {has("reopen") && <PendingButton value="reopen">{m["alert.reopen"]}</PendingButton>}
      {has("note") && <PendingButton value="note">{m["alert.addComment"]}</PendingButton>}
    </>
  );
}
