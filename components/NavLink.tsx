"use client";
/**
 * A link of the console's navigation: marked as the current page (aria-current, shown in bold) on its own page and on
 * the pages under it (an alert under /alerts, a user's page under /admin/users).
 */
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import Link from "@/components/Link";

export function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const pathname = usePathname();
  const current = pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link href={href} aria-current={current ? "page" : undefined}>
      {children}
    </Link>
  );
}
