import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/ConsoleShell";
import { requireUser } from "@/lib/auth/pages";

/** Every console page: a signed-in user with an enrolled second factor. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return <ConsoleShell user={user}>{children}</ConsoleShell>;
}
