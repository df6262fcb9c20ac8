"use client";
/** The register file import: posts the file to /api/registers/equipment/import (dry run or not) and shows the result, each bad row named. */
import { useState } from "react";

export interface ImportLabels {
  heading: string;
  help: string;
  dryRun: string;
  button: string;
  file: string;
  problems: string;
  row: string;
  column: string;
  result: string;
  stored: string;
  checked: string;
  /** problem code → Japanese text */
  problemNames: Record<string, string>;
}

interface Result {
  dryRun: boolean;
  rows: number;
  stored: number;
  created: number;
  updated: number;
  problems: { row: number; column: string; problem: string; detail: string }[];
}

export function EquipmentImport({ labels }: { labels: ImportLabels }) {
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const res = await fetch("/api/registers/equipment/import", { method: "POST", body: new FormData(e.currentTarget) });
      const body = await res.json();
      if (res.ok) setResult(body as Result);
      else setError(String(body.error ?? res.status));
    } finally {
      setBusy(false);
    }
  }
  const fill = (s: string, r: Result) =>
    s
      .replace("{rows}", String(r.rows))
      .replace("{stored}", String(r.stored))
      .replace("{mode}", r.dryRun ? labels.checked : labels.stored)
      .replace("{created}", String(r.created))
      .replace("{updated}", String(r.updated))
      .replace("{problems}", String(r.problems.length));
  return (
    <section className="card" aria-label={labels.heading}>
      <h2>{labels.heading}</h2>
      <p>{labels.help}</p>
      <form onSubmit={submit} data-testid="equipment-import">
        <label>
          {labels.file} <input type="file" name="file" accept=".xlsx,.csv" required />
        </label>
        <label>
          <input type="checkbox" name="dryRun" value="1" defaultChecked /> {labels.dryRun}
        </label>
        <button type="submit" disabled={busy}>
          {labels.button}
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {result && (
        <div role="status" data-testid="equipment-import-result">
          <p>{fill(labels.result, result)}</p>
          {result.problems.length > 0 && (
            <table aria-label={labels.problems}>
              <thead>
                <tr>
                  <th>{labels.row}</th>
                  <th>{labels.column}</th>
                  <th>{labels.problems}</th>
                </tr>
              </thead>
              <tbody>
                {result.problems.map((p, i) => (
                  <tr key={i}>
                    <td>{p.row}</td>
                    <td>{p.column}</td>
                    <td>
                      {labels.problemNames[p.problem] ?? p.problem}（{p.detail}）
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
