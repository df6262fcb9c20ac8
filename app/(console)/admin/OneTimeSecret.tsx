"use client";
/** A secret shown once (a new node token or password): in the page only, with a copy button; gone on reload. */
import { useState } from "react";
import { messages as m } from "@/lib/i18n";

export function OneTimeSecret({ label, value, testId }: { label: string; value: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <p role="status" className="ok">
      {label}: <code data-testid={testId}>{value}</code>{" "}
      <button
        type="button"
        onClick={() =>
          navigator.clipboard.writeText(value).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        {copied ? m["admin.copied"] : m["admin.copy"]}
      </button>
    </p>
  );
}
