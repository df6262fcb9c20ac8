"use client";
/** Charts of the statistics reports (recharts): usage per schedule against the previous year, provisions per month by channel. */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { messages } from "@/lib/i18n";

const CHANNEL_COLORS: Record<string, string> = { immediate: "#1d4f91", media: "#e0a100", online_batch: "#5b9a58" };
const count = (v: unknown) => Number(v).toLocaleString("ja-JP");

/** `previous` is null where there is no previous-year data: no bar is drawn for it (not a bar of 0). */
export function UsageChart({ data, previousLabel }: { data: { label: string; current: number; previous: number | null }[]; previousLabel: string }) {
  return (
    <figure className="chart" aria-label={messages["stats.usage.chart"]}>
      <figcaption>{messages["stats.usage.chart"]}</figcaption>
      <ResponsiveContainer width="100%" height={280}>
        <BarChart data={data} margin={{ left: 20 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" interval={0} tick={{ fontSize: 11 }} />
          <YAxis allowDecimals={false} tickFormatter={count} />
          <Tooltip formatter={count} />
          <Legend />
          {data.some((d) => d.previous !== null) && <Bar dataKey="previous" name={previousLabel} fill="#bdc3c7" isAnimationActive={false} />}
          <Bar dataKey="current" name={messages["stats.usage.current"]} fill="#1d4f91" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** `data`: one row per month, `{ month: label, [channel]: records }`; `channels`: [id, label] in seed 001's order. */
export function ProvisionsChart({ data, channels }: { data: Record<string, string | number>[]; channels: [string, string][] }) {
  return (
    <figure className="chart" aria-label={messages["stats.provisions.chart"]}>
      <figcaption>{messages["stats.provisions.chart"]}</figcaption>
      <ResponsiveContainer width="100%" height={280}>
        <BarChart data={data} margin={{ left: 20 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="month" tick={{ fontSize: 11 }} />
          <YAxis allowDecimals={false} tickFormatter={count} />
          <Tooltip formatter={count} />
          <Legend />
          {channels.map(([id, label]) => (
            <Bar key={id} dataKey={id} name={label} stackId="channels" fill={CHANNEL_COLORS[id] ?? "#999"} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
