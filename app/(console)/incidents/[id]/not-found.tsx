import Link from "@/components/Link";
import { t } from "@/lib/i18n";

/** An unknown incident, or one outside the caller's scope (the same answer: existence is not revealed). */
export default function IncidentNotFound() {
  return (
    <section className="not-found">
      <h1>{t("incident.error.not_found")}</h1>
      <p>
        <Link href="/incidents">{t("incident.list")}</Link>
      </p>
    </section>
  );
}
