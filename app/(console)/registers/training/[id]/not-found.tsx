import Link from "@/components/Link";
import { t } from "@/lib/i18n";

/** An unknown session, or one outside the caller's scope. */
export default function TrainingSessionNotFound() {
  return (
    <section className="not-found">
      <h1>{t("registers.training.error.not_found")}</h1>
      <p>
        <Link href="/registers/training">{t("registers.training.list")}</Link>
      </p>
    </section>
  );
}
