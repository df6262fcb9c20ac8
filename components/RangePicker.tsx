"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { messages } from "@/lib/i18n";
import { RANGES } from "@/lib/range";

/** The time range shared by every page: kept in the URL and carried by the navigation links. */
export function RangePicker({ current }: { current: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  return (
    <label className="range">
      {messages["range.label"]}
      <select
        value={current}
        onChange={(e) => {
          const next = new URLSearchParams(params.toString());
          next.delete("from");
          next.delete("to");
          next.delete("after");
          next.set("range", e.target.value);
          router.push(`${pathname}?${next.toString()}`);
        }}
      >
        {Object.keys(RANGES).map((k) => (
          <option key={k} value={k}>
            {messages[`range.${k}` as keyof typeof messages]}
          </option>
        ))}
        {current === "custom" && <option value="custom">—</option>}
      </select>
    </label>
  );
}
