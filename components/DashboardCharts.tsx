"use client";
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Cell, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { messages } from "@/lib/i18n";

const ACTION_COLORS: Record<string, string> = {
  search: "#1d4f91",
  view: "#4f86c6",
  update: "#e0a100",
  provide: "#5b9a58",
  batch_provide: "#2f6b2c",
  notify: "#9b59b6",
  login: "#7f8c8d",
  logout: "#bdc3c7",
  auth_failure: "#c0392b",
  card_locked: "#8e1b10",
  print: "#d35400",
  export: "#a04000",
  card_unlocked: "#16a085",
};
const SEVERITY_COLORS: Record<string, string> = { critical: "#8e1b10", high: "#c0392b", medium: "#e0a100", low: "#4f86c6" };
const jst = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", month: "numeric", day: "numeric", hour: "2-digit" });

export function EventsOverTime({ data }: { data: Record<string, string | number>[] }) {
  const actions = [...new Set(data.flatMap((d) => Object.keys(d).filter((k) => k !== "t")))];
  return (
    <figure className="chart" aria-label={messages["dashboard.eventsOverTime"]}>
      <figcaption>{messages["dashboard.eventsOverTime"]}</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <AreaChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="t" tickFormatter={(v) => jst.format(new Date(v))} minTickGap={40} />
          <YAxis />
          <Tooltip labelFormatter={(v) => jst.format(new Date(v))} />
          <Legend />
          {actions.map((a) => (
            <Area
              key={a}
              type="linear"
              dataKey={a}
              stackId="1"
              stroke={ACTION_COLORS[a] ?? "#999"}
              fill={ACTION_COLORS[a] ?? "#999"}
              isAnimationActive={false}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function AlertsBySeverity({ data }: { data: { severity: string; count: number }[] }) {
  const rows = data.map((d) => ({ ...d, label: messages[`severity.${d.severity}` as keyof typeof messages] ?? d.severity }));
  return (
    <figure className="chart" aria-label={messages["dashboard.alertsBySeverity"]}>
      <figcaption>{messages["dashboard.alertsBySeverity"]}</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={rows}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Bar dataKey="count" name={messages["col.alerts"]} isAnimationActive={false}>
            {rows.map((r) => (
              <Cell key={r.severity} fill={SEVERITY_COLORS[r.severity] ?? "#999"} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

export function AlertsByRule({ data }: { data: { rule: string; name: string; count: number }[] }) {
  return (
    <figure className="chart" aria-label={messages["dashboard.alertsByRule"]}>
      <figcaption>{messages["dashboard.alertsByRule"]}</figcaption>
      <ResponsiveContainer width="100%" height={Math.max(160, data.length * 26 + 40)}>
        <BarChart data={data} layout="vertical" margin={{ left: 140 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="name" width={140} interval={0} tick={{ fontSize: 11 }} />
          <Tooltip />
          <Bar dataKey="count" name={messages["col.alerts"]} fill="#1d4f91" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
