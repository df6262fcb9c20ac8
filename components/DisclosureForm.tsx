"use client";
/**
 * Resident disclosure: the form (sent as a server-action POST, so the 住民票コード
 * never appears in a URL), the officer's result table and the letter to the
 * resident, which is all that prints (@media print in globals.css).
 */
import { useActionState, useState } from "react";
import { disclosureAction, type DisclosureState } from "@/app/_actions/disclosure";
import { ArchiveNotice } from "@/components/ArchiveNotice";
import { formatDateKey as day, formatJst, formatOfficialDate, formatOfficialDateKey, messages as m } from "@/lib/i18n";

export function DisclosureForm({ sender, defaultFrom, defaultTo }: { sender: string; defaultFrom: string; defaultTo: string }) {
  const [state, submit, pending] = useActionState<DisclosureState, FormData>(disclosureAction, undefined);
  const [from, setFrom] = useState(defaultFrom);
  const [to, setTo] = useState(defaultTo);
  return (
    <>
      <form action={submit} className="filters no-print" aria-label={m["disclosure.title"]}>
        {/* Uncontrolled on purpose: React clears it after each lookup. */}
        <label>
          {m["disclosure.residentCode"]}
          <input name="residentCode" inputMode="numeric" autoComplete="off" spellCheck={false} size={16} maxLength={20} required />
        </label>
        <label>
          {m["disclosure.from"]}
          <input type="date" name="from" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        <label>
          {m["disclosure.to"]}
          <input type="date" name="to" value={to} onChange={(e) => setTo(e.target.value)} required />
        </label>
        <button type="submit" disabled={pending}>
          {pending ? m["disclosure.searching"] : m["disclosure.submit"]}
        </button>
      </form>
      <p className="small no-print">{m["disclosure.notice"]}</p>
      {state && !state.ok && (
        <p className="error no-print" role="alert">
          {state.error}
        </p>
      )}
      {state?.ok && (
        <>
          <section className="no-print" aria-label={m["disclosure.results"]}>
            <h2>
              {m["disclosure.results"]}（{day(state.from)}〜{day(state.to)}、{m["disclosure.count"]} {state.rows.length}）
            </h2>
            {state.archived && <ArchiveNotice part={state.archived} admin={!!state.archiveAdmin} stream="events" />}
            {state.codeChanges.length > 0 && <p role="note">{m["disclosure.codeChanged"].replace("{dates}", state.codeChanges.map(day).join("、"))}</p>}
            {state.rows.length === 0 ? (
              <p>{m["disclosure.none"]}</p>
            ) : (
              <table data-testid="disclosure-results">
                <thead>
                  <tr>
                    <th>{m["disclosure.col.time"]}</th>
                    <th>{m["disclosure.col.provider"]}</th>
                    <th>{m["disclosure.col.recipient"]}</th>
                    <th>{m["disclosure.col.purpose"]}</th>
                    <th>{m["disclosure.col.channel"]}</th>
                    <th>{m["disclosure.col.batch"]}</th>
                    <th className="num">{m["disclosure.col.records"]}</th>
                  </tr>
                </thead>
                <tbody>
                  {state.rows.map((r, i) => (
                    <tr key={i}>
                      <td>{formatJst(r.time)}</td>
                      <td>{r.provider.name}</td>
                      <td>{r.recipient.name}</td>
                      <td>{r.purpose}</td>
                      <td>
                        {r.channelLabel}
                        {r.code === "linked" && <span className="small">{m["disclosure.linkedCode"]}</span>}
                      </td>
                      <td className="mono">{r.batch ?? ""}</td>
                      <td className="num">{r.records.toLocaleString("ja-JP")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p>
              <button type="button" onClick={() => window.print()}>
                {m["disclosure.print"]}
              </button>
            </p>
            <h2>{m["disclosure.letter.preview"]}</h2>
          </section>
          <article className="letter" aria-label={m["disclosure.letter.title"]}>
            <p className="letter-date">{formatOfficialDate(state.generatedAt)}</p>
            <p className="letter-to">
              <span className="blank" />
              {m["disclosure.letter.addressee"]}
            </p>
            <p className="letter-from">{sender}</p>
            <h2>{m["disclosure.letter.title"]}</h2>
            <p>{m["disclosure.letter.body"].replace("{from}", formatOfficialDateKey(state.from)).replace("{to}", formatOfficialDateKey(state.to))}</p>
            {state.codeChanges.length > 0 && <p>{m["disclosure.codeChanged"].replace("{dates}", state.codeChanges.map(day).join("、"))}</p>}
            {state.rows.length === 0 ? (
              <p>{m["disclosure.letter.none"]}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th>{m["disclosure.col.date"]}</th>
                    <th>{m["disclosure.col.provider"]}</th>
                    <th>{m["disclosure.col.recipient"]}</th>
                    <th>{m["disclosure.col.purpose"]}</th>
                    <th>{m["disclosure.col.channel"]}</th>
                    <th>{m["disclosure.col.batch"]}</th>
                  </tr>
                </thead>
                <tbody>
                  {state.rows.map((r, i) => (
                    <tr key={i}>
                      <td>{day(r.date)}</td>
                      <td>{r.provider.name}</td>
                      <td>{r.recipient.name}</td>
                      <td>{r.purpose}</td>
                      <td>
                        {r.channelLabel}
                        {r.code === "linked" && <span className="small">{m["disclosure.linkedCode"]}</span>}
                      </td>
                      <td className="mono">{r.batch ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p className="small">{m["disclosure.letter.basis"].replace("{sender}", sender)}</p>
            <p className="letter-closing">{m["disclosure.letter.closing"]}</p>
          </article>
        </>
      )}
    </>
  );
}
