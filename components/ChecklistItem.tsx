"use client";
/**
 * One checklist item's answer, comment and review comment, saved as the user
 * goes (answer at once, text after a pause or on leaving the field).
 */
import { useEffect, useRef, useState, useTransition } from "react";
import { saveAnswerAction, saveReviewCommentAction, type SaveResult } from "@/app/_actions/checklist";
import { messages } from "@/lib/i18n";
import { useChecklistItem } from "./checklist/ChecklistNav";
import type { Answer } from "@/domain/checklist/template";

const OPTIONS: Answer[] = ["implemented", "partial", "not_implemented", "not_applicable"];
const jstTime = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", hour: "2-digit", minute: "2-digit", second: "2-digit" });

function useSaver(save: (value: string) => Promise<SaveResult>, initial: string, onPending?: (pending: boolean) => void) {
  const [state, setState] = useState<{ kind: "idle" | "saving" | "saved" | "error"; text?: string }>({ kind: "idle" });
  const [, start] = useTransition();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const last = useRef(initial);
  useEffect(() => () => clearTimeout(timer.current), []);
  const now = (value: string) => {
    clearTimeout(timer.current);
    if (value === last.current) return;
    last.current = value;
    setState({ kind: "saving" });
    onPending?.(true);
    start(async () => {
      const r = await save(value).catch((): SaveResult => ({ ok: false, error: messages["checklist.error.network"] }));
      setState(r.ok ? { kind: "saved", text: jstTime.format(new Date(r.at)) } : { kind: "error", text: r.error });
      onPending?.(false);
    });
  };
  const later = (value: string) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => now(value), 800);
  };
  return { state, now, later };
}

function SaveState({ state }: { state: ReturnType<typeof useSaver>["state"] }) {
  return (
    <span className={`savestate ${state.kind}`} aria-live="polite">
      {state.kind === "saving" && messages["checklist.saving"]}
      {state.kind === "saved" && `${messages["checklist.saved"]}（${state.text}）`}
      {state.kind === "error" && `${messages["checklist.saveFailed"]}：${state.text}`}
    </span>
  );
}

export function ChecklistAnswer(props: {
  assessmentId: string;
  itemId: string;
  allowNotApplicable: boolean;
  answer: Answer | null;
  comment: string | null;
  canEdit: boolean;
}) {
  const [answer, setAnswer] = useState<Answer | null>(props.answer);
  const item = useChecklistItem(props.itemId);
  const save = useSaver((comment) => saveAnswerAction({ assessmentId: props.assessmentId, itemId: props.itemId, comment }), props.comment ?? "");
  const saveAnswer = useSaver(
    (value) => saveAnswerAction({ assessmentId: props.assessmentId, itemId: props.itemId, answer: value as Answer }),
    props.answer ?? "",
    item.setPending,
  );
  const state = saveAnswer.state.kind === "idle" ? save.state : save.state.kind === "idle" ? saveAnswer.state : save.state;
  return (
    <div className="answer">
      <fieldset disabled={!props.canEdit}>
        <legend>{messages["checklist.doc.answer"]}</legend>
        {OPTIONS.filter((o) => o !== "not_applicable" || props.allowNotApplicable).map((o) => (
          <label key={o} className={`opt opt-${o}`}>
            <input
              type="radio"
              name={`answer-${props.itemId}`}
              value={o}
              checked={answer === o}
              onChange={() => {
                setAnswer(o);
                item.setAnswer(o);
                saveAnswer.now(o);
              }}
            />
            {messages[`checklist.answer.${o}`]}
          </label>
        ))}
      </fieldset>
      <label className="comment">
        {messages["checklist.comment"]}
        <textarea
          name={`comment-${props.itemId}`}
          defaultValue={props.comment ?? ""}
          readOnly={!props.canEdit}
          rows={2}
          maxLength={2000}
          onChange={(e) => save.later(e.target.value)}
          onBlur={(e) => props.canEdit && save.now(e.target.value)}
        />
      </label>
      <SaveState state={state} />
    </div>
  );
}

export function ReviewComment(props: { assessmentId: string; itemId: string; text: string | null; canReview: boolean }) {
  const save = useSaver((text) => saveReviewCommentAction({ assessmentId: props.assessmentId, itemId: props.itemId, text }), props.text ?? "");
  if (!props.canReview)
    return props.text ? (
      <p className="review">
        {messages["checklist.reviewComment"]}：{props.text}
      </p>
    ) : null;
  return (
    <label className="review">
      {messages["checklist.reviewComment"]}
      <textarea
        name={`review-${props.itemId}`}
        defaultValue={props.text ?? ""}
        rows={2}
        maxLength={2000}
        onChange={(e) => save.later(e.target.value)}
        onBlur={(e) => save.now(e.target.value)}
      />
      <SaveState state={save.state} />
    </label>
  );
}
