"use client";
/**
 * A submit button that asks first: a click opens a modal dialog with the
 * message, and only 実行する submits the enclosing form (with this button's
 * name and value, if any). For destructive actions: 失効, 削除, 受理, 確定, ラウンド開始.
 */
import { useRef, type ReactNode } from "react";
import { messages as m } from "@/lib/i18n";

export function ConfirmButton({
  children,
  message,
  confirmLabel = m["admin.confirmYes"],
  name,
  value,
  disabled,
  className,
}: {
  children: ReactNode;
  message: string;
  confirmLabel?: string;
  name?: string;
  value?: string;
  disabled?: boolean;
  className?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const submit = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button type="button" className={className} disabled={disabled} onClick={() => dialog.current?.showModal()}>
        {children}
      </button>
      <button type="submit" ref={submit} name={name} value={value} hidden tabIndex={-1} aria-hidden />
      <dialog ref={dialog} aria-label={m["admin.confirm"]} className="confirm">
        <p>{message}</p>
        <button
          type="button"
          autoFocus
          onClick={() => {
            dialog.current?.close();
            submit.current?.form?.requestSubmit(submit.current);
          }}
        >
          {confirmLabel}
        </button>{" "}
        <button type="button" onClick={() => dialog.current?.close()}>
          {m["admin.cancel"]}
        </button>
      </dialog>
    </>
  );
}
