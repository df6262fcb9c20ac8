"use client";
/** The signed-in user's notification preferences: address, channels, types, least alert severity, quiet hours (JST). */
import { useActionState } from "react";
import { savePreferencesAction, type FormState } from "@/app/_actions/notifications";
import { messages as m, type MessageKey } from "@/lib/i18n";
import type { Preferences } from "@/domain/notifications/preferences";
import { NOTIFICATION_TYPES, SEVERITIES } from "@/domain/notifications/types";

export function PreferencesForm({ prefs }: { prefs: Preferences }) {
  const [state, submit, pending] = useActionState<FormState, FormData>(savePreferencesAction, {});
  return (
    <form action={submit} className="stack" aria-label={m["notify.prefs.title"]}>
      <label>
        {m["notify.prefs.email"]}
        <input type="email" name="email" defaultValue={prefs.email ?? ""} size={40} autoComplete="email" />
      </label>
      <fieldset>
        <legend>{m["notify.prefs.channels"]}</legend>
        <label>
          <input type="checkbox" name="mail" value="1" defaultChecked={prefs.mail} /> {m["notify.prefs.mail"]}
        </label>{" "}
        <label>
          <input type="checkbox" name="console" value="1" defaultChecked={prefs.console} /> {m["notify.prefs.console"]}
        </label>
      </fieldset>
      <fieldset>
        <legend>{m["notify.prefs.types"]}</legend>
        {NOTIFICATION_TYPES.map((type) => (
          <label key={type} style={{ display: "block" }}>
            <input type="checkbox" name="types" value={type} defaultChecked={prefs.types.includes(type)} /> {m[`notify.type.${type}` as MessageKey]}
          </label>
        ))}
      </fieldset>
      <label>
        {m["notify.prefs.minSeverity"]}
        <select name="minSeverity" defaultValue={prefs.minSeverity}>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {m[`severity.${s}` as MessageKey]}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{m["notify.prefs.quiet"]}</legend>
        <label>
          {m["notify.prefs.quietStart"]} <input type="time" name="quietStart" defaultValue={prefs.quietStart ?? ""} />
        </label>{" "}
        <label>
          {m["notify.prefs.quietEnd"]} <input type="time" name="quietEnd" defaultValue={prefs.quietEnd ?? ""} />
        </label>
      </fieldset>
      <button type="submit" disabled={pending}>
        {m["notify.prefs.save"]}
      </button>
      {state.message && (
        <p role={state.ok ? "status" : "alert"} className={state.ok ? "ok" : "error"}>
          {state.message}
        </p>
      )}
    </form>
  );
}
