/**
 * One person across a change of 住民票コード (INTERFACE.md §1 `code_change`): the event stores the new
 * code's reference as `jukinet.subject.ref` and the old one as `jukinet.subject.previous_ref`. The
 * references linked to a set, through any chain of changes the scope can see, are treated as one
 * person by resident disclosure.
 */
import type { estypes } from "@elastic/elasticsearch";
import type { Scope } from "../../lib/auth/scope";
import { scopedSearch } from "../../lib/es/scoped";

/** Changes followed at most (a resident's code changes a handful of times in a lifetime). */
const MAX_ROUNDS = 10;

/** `refs` first, in their order, then every reference linked to them by a `code_change` in the scope. */
export async function linkedSubjectRefs(scope: Scope, refs: string[]): Promise<string[]> {
  return (await subjectLinks(scope, refs)).refs;
}

/** One change of code: when, and the keyed references before and after (never the codes). */
export interface CodeChange {
  time: string;
  previousRef: string;
  ref: string;
}

/** The references linked to `refs` (theirs first) and the changes of code that link them, in time order. */
export async function subjectLinks(scope: Scope, refs: string[]): Promise<{ refs: string[]; changes: CodeChange[] }> {
  const all = new Set(refs);
  const changes = new Map<string, CodeChange>();
  let frontier = [...refs];
  for (let round = 0; round < MAX_ROUNDS && frontier.length; round++) {
    const res = await scopedSearch<any>(scope, "events", {
      size: 1000,
      _source: ["@timestamp", "jukinet.subject.ref", "jukinet.subject.previous_ref"],
      query: {
        bool: {
          filter: [
            { term: { "event.action": "code_change" } },
            {
              bool: {
                should: [{ terms: { "jukinet.subject.ref": frontier } }, { terms: { "jukinet.subject.previous_ref": frontier } }],
                minimum_should_match: 1,
              },
            },
          ],
        },
      },
    });
    const next: string[] = [];
    for (const h of res.hits.hits) {
      const s = h._source?.jukinet?.subject ?? {};
      if (typeof s.ref === "string" && typeof s.previous_ref === "string")
        changes.set(`${h._index}/${h._id}`, { time: h._source["@timestamp"], previousRef: s.previous_ref, ref: s.ref });
      for (const r of [s.ref, s.previous_ref]) {
        if (typeof r === "string" && !all.has(r)) {
          all.add(r);
          next.push(r);
        }
      }
    }
    frontier = next;
  }
  return { refs: [...all], changes: [...changes.values()].sort((a, b) => a.time.localeCompare(b.time)) };
}

interface ChangeSource {
  "@timestamp": string;
  jukinet?: { subject?: { ref?: string; previous_ref?: string } };
}

/**
 * The people whose code was changed, as groups of linked references (each group one person: the old and new
 * references of every `code_change` in the scope recorded before `before`, joined through chains). `current`
 * is the group's newest reference (the last change's new code), which names the person in alerts.
 */
export async function linkedSubjectGroups(scope: Scope, before: Date): Promise<{ current: string; refs: string[] }[]> {
  const parent = new Map<string, string>();
  const find = (r: string): string => {
    let root = r;
    while (parent.get(root) !== root) root = parent.get(root)!;
    for (let x = r; x !== root;) {
      const next = parent.get(x)!;
      parent.set(x, root);
      x = next;
    }
    return root;
  };
  const latest = new Map<string, { time: string; ref: string }>();
  const changes: CodeChange[] = [];
  for (let after: estypes.SortResults | undefined; ;) {
    const res = await scopedSearch<ChangeSource>(scope, "events", {
      size: 5000,
      _source: ["@timestamp", "jukinet.subject.ref", "jukinet.subject.previous_ref"],
      query: { bool: { filter: [{ term: { "event.action": "code_change" } }, { range: { "@timestamp": { lt: before.toISOString() } } }] } },
      sort: [{ "@timestamp": "asc" }, { "observer.id": "asc" }, { "event.id": "asc" }],
      ...(after ? { search_after: after } : {}),
    });
    for (const h of res.hits.hits) {
      const s = h._source?.jukinet?.subject;
      if (s?.ref && s.previous_ref) changes.push({ time: h._source!["@timestamp"], ref: s.ref, previousRef: s.previous_ref });
    }
    if (res.hits.hits.length < 5000) break;
    after = res.hits.hits[res.hits.hits.length - 1].sort;
  }
  for (const c of changes) {
    for (const r of [c.ref, c.previousRef]) if (!parent.has(r)) parent.set(r, r);
    const a = find(c.ref);
    const b = find(c.previousRef);
    if (a !== b) parent.set(a, b);
  }
  // In time order, so the last change of a group names its newest reference.
  for (const c of changes) latest.set(find(c.ref), { time: c.time, ref: c.ref });
  const groups = new Map<string, string[]>();
  for (const r of parent.keys()) {
    const root = find(r);
    (groups.get(root) ?? groups.set(root, []).get(root)!).push(r);
  }
  return [...groups].map(([root, refs]) => ({ current: latest.get(root)!.ref, refs: refs.sort() }));
}
