import Link from "@/components/Link";
import { t } from "@/lib/i18n";

/** An unknown alert id, or one outside the caller's scope (the same answer: existence is not revealed). */
export default function AlertNotFound() {
  return (
    <section className="not-found">
      <h1>{t("alert.notFoundTitle")}</h1>
      <p>{t("alert.notFoundBody")}</p>
      <p>
        <Link href="/alerts">{t("alert.backToList")}</Link>
      </p>
    </section>
  );
}
