"use client";
/**
 * Registry import with a dry run: 確認 runs the whole import and rolls it back, showing per section what
 * would be created, updated or left unchanged (or every problem, in Japanese); 取込み applies it. The form
 * is submitted by hand so that the chosen file stays selected between the dry run and the import.
 */
import { useActionState, useRef, startTransition } from "react";
import { importRegistryAction, type ImportState } from "@/app/_actions/admin";
import { messages as m, type MessageKey } from "@/lib/i18n";
import { REGISTRY_SECTIONS } from "@/domain/registry/import-changes";

export function ImportForm() {
  const [state, submit, pending] = useActionState<ImportState, FormData>(importRegistryAction, {});
  const form = useRef<HTMLFormElement>(null);
  const send = (dryRun: boolean) => {
    if (!form.current?.reportValidity()) return;
    const data = new FormData(form.current);
    data.set("dryRun", dryRun ? "1" : "0");
    startTransition(() => submit(data));
  };
  return (
    <>
      <form ref={form} className="filters" onSubmit={(e) => e.preventDefault()} aria-busy={pending}>
        <input type="file" name="file" accept="application/json,.json" required aria-label={m["admin.registryImport"]} />
        <button type="button" disabled={pending} onClick={() => send(true)}>
          {m["admin.dryRun"]}
        </button>
        <button type="button" disabled={pending} onClick={() => send(false)}>
          {state.mode === "dryRun" ? m["admin.dryRunApply"] : m["admin.import"]}
        </button>
      </form>
      {state.problems && (
        <div role="alert" className="error">
          <p>
            {state.fileName && `${state.fileName}: `}
            {m["admin.importRejected"]}
          </p>
          <ul>
            {state.problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      {state.changes && (
        <div role="status" className={state.mode === "dryRun" ? "" : "ok"} data-testid="registry-changes">
          <p>
            {state.fileName}: {state.mode === "dryRun" ? m["admin.dryRunTitle"] : m["admin.importedTitle"]}
          </p>
          <table>
            <thead>
              <tr>
                <th>{m["admin.section"]}</th>
                <th>{m["admin.created"]}</th>
                <th>{m["admin.updated"]}</th>
                <th>{m["admin.unchanged"]}</th>
              </tr>
            </thead>
            <tbody>
              {REGISTRY_SECTIONS.map((s) => {
                const c = state.changes![s];
                if (!c.created && !c.updated && !c.unchanged) return null;
                return (
                  <tr key={s} data-testid={`changes-${s}`}>
                    <td>{m[`admin.registrySection.${s}` as MessageKey]}</td>
                    <td>{c.created}</td>
                    <td>{c.updated}</td>
                    <td>{c.unchanged}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
