"use client";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { formatJst, messages } from "@/lib/i18n";

/** "最終更新" in JST and an auto-refresh of the server-rendered dashboard every `seconds`, which the user can pause. */
export function DashboardRefresh({ generatedAt, seconds = 60 }: { generatedAt: string; seconds?: number }) {
  const router = useRouter();
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    if (paused) return;
    const id = setInterval(() => router.refresh(), seconds * 1000);
    return () => clearInterval(id);
  }, [paused, seconds, router, generatedAt]);
  return (
    <span className="refresh" data-testid="dashboard-refresh">
      {messages["dashboard.updatedAt"]} <time dateTime={generatedAt}>{formatJst(generatedAt)}</time>
      <span className="muted">{paused ? messages["dashboard.autoRefreshPaused"] : messages["dashboard.autoRefreshOn"].replace("{s}", String(seconds))}</span>
      <button type="button" onClick={() => setPaused((p) => !p)} aria-pressed={paused}>
        {paused ? messages["dashboard.resume"] : messages["dashboard.pause"]}
      </button>
      <button type="button" onClick={() => router.refresh()}>
        {messages["dashboard.refreshNow"]}
      </button>
    </span>
  );
}
