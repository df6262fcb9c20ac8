import Link from "@/components/Link";
import { t } from "@/lib/i18n";

/** An unknown request, or one outside the caller's scope. */
export default function InvestigationNotFound() {
  return (
    <section className="not-found">
      <h1>{t("incident.error.not_found")}</h1>
      <p>
        <Link href="/investigations">{t("investigation.list")}</Link>
      </p>
    </section>
  );
}
