import Link from "next/link";
import { t } from "@/lib/i18n";

export default function Forbidden() {
  return (
    <main className="signin">
      <div className="card">
        <h1>{t("forbidden.title")}</h1>
        <Link href="/dashboard">{t("common.back")}</Link>
      </div>
    </main>
  );
}
