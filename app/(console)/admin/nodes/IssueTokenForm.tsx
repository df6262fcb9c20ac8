"use client";
/**
 * Issues an ingest token for one node. The token comes back in the server
 * action's response and is shown once, here, with a copy button; it never
 * appears in a URL, the history or a log, and is gone when the page is reloaded.
 */
import { useActionState } from "react";
import { issueTokenAction, type IssueTokenState } from "@/app/_actions/admin";
import { messages as m } from "@/lib/i18n";
import { OneTimeSecret } from "../OneTimeSecret";

export function IssueTokenForm({ nodeId }: { nodeId: string }) {
  const [state, submit, pending] = useActionState<IssueTokenState, FormData>(issueTokenAction, {});
  return (
    <>
      <form action={submit}>
        <input type="hidden" name="nodeId" value={nodeId} />
        <button disabled={pending}>{m["admin.issueToken"]}</button>
      </form>
      {state.token && <OneTimeSecret label={`${m["admin.tokenIssued"]} ${state.nodeId}`} value={state.token} testId="issued-token" />}
      {state.error && (
        <p role="alert" className="error">
          {state.error}
        </p>
      )}
    </>
  );
}
