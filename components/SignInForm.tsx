"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { messages } from "@/lib/i18n";

type Reason = "invalid" | "locked" | "totp_required" | "totp_invalid" | "disabled" | "rate_limited";

export function SignInForm() {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      aria-labelledby="signin-title"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        const f = new FormData(e.currentTarget);
        const res = await signIn("credentials", {
          loginId: String(f.get("loginId")),
          password: String(f.get("password")),
          totp: String(f.get("totp") ?? ""),
          redirect: false,
        });
        setBusy(false);
        if (res?.ok && !res.error) {
          router.push("/dashboard");
          router.refresh();
        } else {
          // 429 from the sign-in rate limit (Retry-After), whatever error the body names.
          const reason: Reason | undefined = res?.status === 429 ? "rate_limited" : (res?.error as Reason | undefined);
          const key = `signin.error.${reason}` as keyof typeof messages;
          setError(messages[key] ?? messages["signin.error.unknown"]);
        }
      }}
    >
      <h1 id="signin-title">{messages["app.name"]}</h1>
      <p>{messages["app.tagline"]}</p>
      <label>
        {messages["signin.userId"]}
        <input name="loginId" autoComplete="username" required autoFocus />
      </label>
      <label>
        {messages["signin.password"]}
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <label>
        {messages["signin.totp"]}
        <input name="totp" inputMode="numeric" pattern="[0-9]{6}" autoComplete="one-time-code" />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {messages["signin.submit"]}
      </button>
      <p>{messages["signin.notice"]}</p>
    </form>
  );
}
