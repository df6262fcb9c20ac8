"use client";
/** The users page's forms: create a user, and the actions on one user. Results and refusals are shown inline; a new password once. */
import { useActionState } from "react";
import { createUserAction, manageUserAction, type UserAdminState } from "@/app/_actions/accounts";
import { ConfirmButton } from "@/components/ConfirmButton";
import { messages as m, type MessageKey } from "@/lib/i18n";
import { OneTimeSecret } from "../OneTimeSecret";
import { OrgSelect } from "../OrgSelect";

type Option = { id: string; name: string };

function Result({ state }: { state: UserAdminState }) {
  return (
    <>
      {state.ok && !state.password && (
        <p role="status" className="ok">
          {state.loginId}: {state.ok}
        </p>
      )}
      {state.password && <OneTimeSecret label={`${state.loginId}: ${state.ok ?? m["admin.newPassword"]}`} value={state.password} testId="one-time-password" />}
      {state.error && (
        <p role="alert" className="error">
          {state.error}
        </p>
      )}
    </>
  );
}

export function CreateUserForm({ orgs, roles, defaultOrg }: { orgs: Option[]; roles: string[]; defaultOrg: string }) {
  const [state, submit, pending] = useActionState<UserAdminState, FormData>(createUserAction, {});
  return (
    <>
      <form action={submit} className="filters" aria-label={m["admin.userCreate"]}>
        <label>
          {m["admin.loginId"]}
          <input name="loginId" required size={16} />
        </label>
        <label>
          {m["admin.name"]}
          <input name="name" required size={16} />
        </label>
        <label>
          {m["admin.role"]}
          <select name="role" defaultValue="municipal_officer">
            {roles.map((r) => (
              <option key={r} value={r}>
                {m[`role.${r}` as MessageKey]}
              </option>
            ))}
          </select>
        </label>
        <OrgSelect orgs={orgs} name="organizationId" value={defaultOrg} />
        <label>
          {m["admin.passwordOptional"]}
          <input name="password" type="password" autoComplete="new-password" minLength={12} size={16} />
        </label>
        <button type="submit" disabled={pending}>
          {m["admin.add"]}
        </button>
      </form>
      <Result state={state} />
    </>
  );
}

export function UserActions({ userId, loginId, role, disabled, roles }: { userId: string; loginId: string; role: string; disabled: boolean; roles: string[] }) {
  const [state, submit, pending] = useActionState<UserAdminState, FormData>(manageUserAction, {});
  const hidden = (op: string) => (
    <>
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="op" value={op} />
    </>
  );
  return (
    <div className="user-actions" aria-busy={pending}>
      <form action={submit} style={{ display: "inline" }}>
        {hidden(disabled ? "enable" : "disable")}
        {disabled ? (
          <button type="submit">{m["admin.userEnable"]}</button>
        ) : (
          <ConfirmButton message={`${loginId}: ${m["admin.confirmUserDisable"]}`}>{m["admin.userDisable"]}</ConfirmButton>
        )}
      </form>{" "}
      <form action={submit} style={{ display: "inline" }}>
        {hidden("resetPassword")}
        <ConfirmButton message={`${loginId}: ${m["admin.confirmResetPassword"]}`}>{m["admin.resetPassword"]}</ConfirmButton>
      </form>{" "}
      <form action={submit} style={{ display: "inline" }}>
        {hidden("resetTotp")}
        <ConfirmButton message={`${loginId}: ${m["admin.confirmResetTotp"]}`}>{m["admin.resetTotp"]}</ConfirmButton>
      </form>{" "}
      <form action={submit} style={{ display: "inline" }}>
        {hidden("role")}
        <select name="role" defaultValue={role} aria-label={`${loginId} ${m["admin.role"]}`}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {m[`role.${r}` as MessageKey]}
            </option>
          ))}
        </select>{" "}
        <button type="submit">{m["admin.changeRole"]}</button>
      </form>
      <Result state={state} />
    </div>
  );
}
