import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { t } from "@/lib/i18n";
import "./globals.css";

export const metadata: Metadata = { title: t("app.name"), description: t("app.tagline") };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Rendered per request, never prerendered: Next.js puts the request's CSP nonce (proxy.ts) on its scripts only then.
  await connection();
  return (
    <html lang="ja">
      <body>{children}</body>
    </html>
  );
}
