/**
 * Grouping of alerts about one incident (pure): alerts of the same
 * organisation whose windows overlap (across rules: one scan raises an
 * operator alert and a terminal alert) form one group. Groups keep the order
 * of the list they come from; the first member of a group is its head.
 */
export interface Groupable {
  id: string;
  organization: { id: string };
  window: { start: string; end: string };
}

export interface AlertGroup<T extends Groupable> {
  head: T;
  members: T[];
}

export function groupIncidents<T extends Groupable>(alerts: T[]): AlertGroup<T>[] {
  const parent = alerts.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const byOrg = new Map<string, number[]>();
  alerts.forEach((a, i) => (byOrg.get(a.organization.id) ?? byOrg.set(a.organization.id, []).get(a.organization.id)!).push(i));
  for (const idx of byOrg.values()) {
    // Sweep by start time: an alert joins the cluster whose latest end it starts before.
    const sorted = [...idx].sort((x, y) => Date.parse(alerts[x].window.start) - Date.parse(alerts[y].window.start));
    let current = -1;
    let currentEnd = -Infinity;
    for (const i of sorted) {
      const start = Date.parse(alerts[i].window.start);
      const end = Date.parse(alerts[i].window.end);
      if (current >= 0 && start < currentEnd) {
        parent[find(i)] = find(current);
        currentEnd = Math.max(currentEnd, end);
      } else {
        current = i;
        currentEnd = end;
      }
    }
  }
  const groups = new Map<number, AlertGroup<T>>();
  const out: AlertGroup<T>[] = [];
  alerts.forEach((a, i) => {
    const root = find(i);
    const g = groups.get(root);
    if (g) g.members.push(a);
    else {
      const created = { head: a, members: [a] };
      groups.set(root, created);
      out.push(created);
    }
  });
  return out;
}
