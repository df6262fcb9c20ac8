"use client";
import Link from "@/components/Link";
import { useRouter } from "next/navigation";
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
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

/** A catalogue label (`action.search` → 検索), the raw value when the catalogue has none. */
const label = (prefix: string, v: string): string => (messages as Record<string, string>)[`${prefix}.${v}`] ?? v;

/** Links under a chart: every series or bar leads to the list filtered on it (the chart's legend, usable by keyboard). */
function ChartLinks({ items }: { items: { key: string; label: string; href: string; color: string; count?: number }[] }) {
  return (
    <ul className="chartlinks">
      {items.map((i) => (
        <li key={i.key}>
          <Link href={i.href}>
            <span className="swatch" style={{ background: i.color }} aria-hidden />
            {i.label}
            {i.count !== undefined && <span className="count">{i.count.toLocaleString("ja-JP")}</span>}
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** Events per time bucket stacked by action; a click on an area or a legend entry opens the explorer filtered on that action. */
export function EventsOverTime({ data, rangeQuery }: { data: Record<string, string | number>[]; rangeQuery: string }) {
  const router = useRouter();
  const actions = [...new Set(data.flatMap((d) => Object.keys(d).filter((k) => k !== "t")))];
  const href = (a: string) => `/events?action=${encodeURIComponent(a)}&${rangeQuery}`;
  return (
    <figure className="chart" aria-label={messages["dashboard.eventsOverTime"]}>
      <figcaption>{messages["dashboard.eventsOverTime"]}</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <AreaChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="t" tickFormatter={(v) => jst.format(new Date(v))} minTickGap={40} />
          <YAxis />
          <Tooltip labelFormatter={(v) => jst.format(new Date(v))} />
          {actions.map((a) => (
            <Area
              key={a}
              type="linear"
              dataKey={a}
              name={label("action", a)}
              stackId="1"
              stroke={ACTION_COLORS[a] ?? "#999"}
              fill={ACTION_COLORS[a] ?? "#999"}
              isAnimationActive={false}
              cursor="pointer"
              onClick={() => router.push(href(a))}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
      <ChartLinks items={actions.map((a) => ({ key: a, label: label("action", a), href: href(a), color: ACTION_COLORS[a] ?? "#999" }))} />
    </figure>
  );
}

/** Alerts per severity; a bar or its legend entry opens the alert queue filtered on that severity. */
export function AlertsBySeverity({ data, rangeQuery }: { data: { severity: string; count: number }[]; rangeQuery: string }) {
  const router = useRouter();
  const rows = data.map((d) => ({ ...d, label: label("severity", d.severity), href: `/alerts?severity=${d.severity}&${rangeQuery}` }));
  return (
    <figure className="chart" aria-label={messages["dashboard.alertsBySeverity"]}>
      <figcaption>{messages["dashboard.alertsBySeverity"]}</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={rows}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Bar dataKey="count" name={messages["col.alerts"]} isAnimationActive={false} cursor="pointer" onClick={(_, i) => router.push(rows[i].href)}>
            {rows.map((r) => (
              <Cell key={r.severity} fill={SEVERITY_COLORS[r.severity] ?? "#999"} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <ChartLinks items={rows.map((r) => ({ key: r.severity, label: r.label, href: r.href, color: SEVERITY_COLORS[r.severity] ?? "#999", count: r.count }))} />
    </figure>
  );
}

/** Alerts per rule (Japanese rule names); a bar or its legend entry opens the alert queue filtered on that rule. */
export function AlertsByRule({ data, rangeQuery }: { data: { rule: string; name: string; count: number }[]; rangeQuery: string }) {
  const router = useRouter();
  const rows = data.map((d) => ({ ...d, href: `/alerts?rule=${encodeURIComponent(d.rule)}&${rangeQuery}` }));
  return (
    <figure className="chart" aria-label={messages["dashboard.alertsByRule"]}>
      <figcaption>{messages["dashboard.alertsByRule"]}</figcaption>
      <ResponsiveContainer width="100%" height={Math.max(160, data.length * 26 + 40)}>
        <BarChart data={rows} layout="vertical" margin={{ left: 140 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="name" width={140} interval={0} tick={{ fontSize: 11 }} />
          <Tooltip />
          <Bar
            dataKey="count"
            name={messages["col.alerts"]}
            fill="#1d4f91"
            isAnimationActive={false}
            cursor="pointer"
            onClick={(_, i) => router.push(rows[i].href)}
          />
        </BarChart>
      </ResponsiveContainer>
      <ChartLinks items={rows.map((r) => ({ key: r.rule, label: r.name, href: r.href, color: "#1d4f91", count: r.count }))} />
    </figure>
  );
}
