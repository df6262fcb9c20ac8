import { t } from "@/lib/i18n";

export default function SignInPage() {
  return (
    <main className="signin">
      <form aria-labelledby="signin-title">
        <h1 id="signin-title">{t("app.name")}</h1>
        <p>{t("app.tagline")}</p>
        <label>
          {t("signin.userId")}
          <input name="userId" autoComplete="username" required />
        </label>
        <label>
          {t("signin.password")}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <label>
          {t("signin.totp")}
          <input name="totp" inputMode="numeric" pattern="[0-9]{6}" autoComplete="one-time-code" />
        </label>
        <button type="submit" disabled>
          {t("signin.submit")}
        </button>
        <p role="note">{t("signin.pending")}</p>
        <p>{t("signin.notice")}</p>
      </form>
    </main>
  );
}
