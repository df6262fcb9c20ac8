"use client";
/** Roll-up charts of a checklist round (recharts). */
import { Bar, BarChart, CartesianGrid, Cell, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { messages } from "@/lib/i18n";

const STATUS_COLORS: Record<string, string> = {
  not_started: "#bdc3c7",
  draft: "#95a5a6",
  submitted: "#4f86c6",
  returned: "#c0392b",
  resubmitted: "#1d4f91",
  accepted: "#2f6b2c",
};

export function ProgressChart({ data }: { data: { status: string; count: number }[] }) {
  const rows = data.map((d) => ({ ...d, label: messages[`checklist.status.${d.status}` as keyof typeof messages] ?? d.status }));
  return (
    <figure className="chart" aria-label={messages["checklist.progressChart"]}>
      <figcaption>{messages["checklist.progressChart"]}</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={rows}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Bar dataKey="count" name={messages["checklist.col.count"]} isAnimationActive={false}>
            {rows.map((r) => (
              <Cell key={r.status} fill={STATUS_COLORS[r.status] ?? "#999"} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function SectionScoresChart({ data }: { data: { label: string; average: number | null }[] }) {
  return (
    <figure className="chart" aria-label={messages["checklist.sectionChart"]}>
      <figcaption>{messages["checklist.sectionChart"]}</figcaption>
      <ResponsiveContainer width="100%" height={Math.max(220, data.length * 26)}>
        <BarChart data={data} layout="vertical" margin={{ left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" domain={[0, 100]} unit="%" />
          <YAxis
            type="category"
            dataKey="label"
            width={230}
            interval={0}
            tick={{ fontSize: 11 }}
            tickFormatter={(v: string) => (v.length > 18 ? `${v.slice(0, 17)}…` : v)}
          />
          <Tooltip />
          <Bar dataKey="average" name={messages["checklist.col.score"]} fill="#1d4f91" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function YearOverYearChart({ data }: { data: { name: string; score: number | null; previous: number | null }[] }) {
  return (
    <figure className="chart" aria-label={messages["checklist.yoy"]}>
      <figcaption>{messages["checklist.yoy"]}</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="name" interval={0} angle={-40} textAnchor="end" height={60} tick={{ fontSize: 11 }} />
          <YAxis domain={[0, 100]} unit="%" />
          <Tooltip />
          <Legend />
          <Bar dataKey="previous" name={messages["checklist.col.previous"]} fill="#bdc3c7" isAnimationActive={false} />
          <Bar dataKey="score" name={messages["checklist.col.score"]} fill="#1d4f91" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
