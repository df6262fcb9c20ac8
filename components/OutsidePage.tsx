/** Pages that anyone may reach (403, 404 of an unknown address): inside the console's frame when signed in, else a plain card. */
import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/ConsoleShell";
import { currentUser } from "@/lib/auth/session";

export async function OutsideConsole({ children }: { children: ReactNode }) {
  const user = await currentUser();
  if (user?.totpEnrolled) return <ConsoleShell user={user}>{children}</ConsoleShell>;
  return <main className="signin">{children}</main>;
}
