"use client";
/** A failure of the root layout itself (nothing of the console could render): a Japanese page with a retry. */
import { messages } from "@/lib/i18n";

export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="ja">
      <body>
        <main className="signin">
          <section className="errorpage" role="alert">
            <h1>{messages["dashboard.error.title"]}</h1>
            <p>{messages["dashboard.error.body"]}</p>
            {error.digest && (
              <p>
                {messages["dashboard.error.reference"]}: <code>{error.digest}</code>
              </p>
            )}
            <button type="button" onClick={() => reset()}>
              {messages["dashboard.error.retry"]}
            </button>
          </section>
        </main>
      </body>
    </html>
  );
}
