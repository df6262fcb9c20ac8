"use client";
/**
 * Registers a webhook endpoint. Its signing secret comes back in the server
 * action's response and is shown once, here, with a copy button; it is never
 * listed again, put in a URL or logged.
 */
import { useActionState } from "react";
import { createEndpointAction, type EndpointState } from "@/app/_actions/notifications";
import { messages as m, type MessageKey } from "@/lib/i18n";
import { NOTIFICATION_TYPES, SEVERITIES } from "@/domain/notifications/types";
import { OneTimeSecret } from "../OneTimeSecret";
import { OrgSelect } from "../OrgSelect";

export function EndpointForm({ orgs }: { orgs: { id: string; name: string }[] }) {
  const [state, submit, pending] = useActionState<EndpointState, FormData>(createEndpointAction, {});
  return (
    <>
      <form action={submit} className="stack" aria-label={m["notify.admin.endpoints"]}>
        <label>
          {m["notify.admin.organization"]}
          <OrgSelect orgs={orgs} name="organizationId" label={false} />
        </label>
        <label>
          {m["notify.admin.name"]}
          <input name="name" required maxLength={100} />
        </label>
        <label>
          {m["notify.admin.url"]}
          <input name="url" type="url" required size={60} placeholder="https://" />
        </label>
        <fieldset>
          <legend>{m["notify.admin.types"]}</legend>
          {NOTIFICATION_TYPES.map((type) => (
            <label key={type} style={{ display: "inline-block", marginRight: 12 }}>
              <input type="checkbox" name="types" value={type} /> {m[`notify.type.${type}` as MessageKey]}
            </label>
          ))}
        </fieldset>
        <label>
          {m["notify.admin.minSeverity"]}
          <select name="minSeverity" defaultValue="high">
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {m[`severity.${s}` as MessageKey]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={pending}>
          {m["notify.admin.add"]}
        </button>
      </form>
      {state.secret && <OneTimeSecret label={`${m["notify.admin.secretIssued"]} ${state.name}`} value={state.secret} testId="webhook-secret" />}
      {state.error && (
        <p role="alert" className="error">
          {state.error}
        </p>
      )}
    </>
  );
}
