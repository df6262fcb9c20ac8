"use client";
/**
 * The error boundary of a console section (its error.tsx re-exports this): a Japanese message with a
 * retry instead of a white page; the header and navigation of the layout stay. The reference is the
 * digest Next.js logs with the server error, for the administrator.
 */
import Link from "@/components/Link";
import { useRouter } from "next/navigation";
import { startTransition } from "react";
import { messages } from "@/lib/i18n";

export default function SectionError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  return (
    <section className="errorpage" role="alert" data-testid="section-error">
      <h1>{messages["dashboard.error.title"]}</h1>
      <p>{messages["dashboard.error.body"]}</p>
      {error.digest && (
        <p className="muted">
          {messages["dashboard.error.reference"]}: <code>{error.digest}</code>
        </p>
      )}
      <p>
        <button
          type="button"
          onClick={() =>
            // A server component failed: fetch it again, then re-render the boundary's children.
            startTransition(() => {
              router.refresh();
              reset();
            })
          }
        >
          {messages["dashboard.error.retry"]}
        </button>{" "}
        <Link href="/dashboard">{messages["dashboard.toDashboard"]}</Link>
      </p>
    </section>
  );
}
