import QRCode from "qrcode";
import { redirect } from "next/navigation";
import { confirmTotpAction } from "@/app/_actions/accounts";
import { beginTotpEnrolment, readTotpSecret } from "@/lib/auth/accounts";
import { requireUser } from "@/lib/auth/pages";
import { otpauthUri } from "@/lib/auth/totp";
import { db } from "@/lib/db";
import { t } from "@/lib/i18n";

export const dynamic = "force-dynamic";

/** TOTP enrolment: a QR code for the authenticator app, confirmed with one code. */
export default async function TotpPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const user = await requireUser(undefined, { allowPendingTotp: true });
  const row = await db().user.findUniqueOrThrow({ where: { id: user.id } });
  if (row.totpEnabledAt) redirect("/dashboard");
  const secret = (await readTotpSecret(row)) ?? (await beginTotpEnrolment(user.id));
  const qr = await QRCode.toDataURL(otpauthUri(secret, user.login), { margin: 1, width: 200 });
  const { error } = await searchParams;
  return (
    <main className="signin">
      <form action={confirmTotpAction} className="card">
        <h1>{t("totp.title")}</h1>
        <p>{t("totp.instructions")}</p>
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img src={qr} alt="QR" width={200} height={200} />
        <p>
          {t("totp.secret")}: <code data-testid="totp-secret">{secret}</code>
        </p>
        <label>
          {t("signin.totp")}
          <input name="code" inputMode="numeric" pattern="[0-9]{6}" required autoComplete="one-time-code" />
        </label>
        {error && (
          <p role="alert" className="error">
            {t("totp.invalid")}
          </p>
        )}
        <button type="submit">{t("totp.confirm")}</button>
      </form>
    </main>
  );
}
