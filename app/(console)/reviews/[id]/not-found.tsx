import Link from "@/components/Link";
import { t } from "@/lib/i18n";

/** An unknown review, or one outside the caller's scope. */
export default function ReviewNotFound() {
  return (
    <section className="not-found">
      <h1>{t("reviews.error.not_found")}</h1>
      <p>
        <Link href="/reviews">{t("reviews.back")}</Link>
      </p>
    </section>
  );
}
