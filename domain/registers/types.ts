/**
 * The shapes the registers (issue 17) give their readers: reminders, checklist figures, audit-report tables.
 * Their own file so that the register modules and sources.ts (which lists the modules' providers) both import
 * them without an import cycle.
 */
import type { Scope } from "../../lib/auth/scope";

/** What a reminder is about. */
export type ReminderKind = "maintenance_ending" | "renewal_due" | "card_not_returned" | "operator_untrained";

export interface RegisterReminder {
  kind: ReminderKind;
  organizationId: string;
  /** The thing reminded of, as shown: an equipment name, a card number, an operator id (never a resident). */
  subject: string;
  /** When it falls due (maintenance end, planned renewal, due date of the return); null when it has no date. */
  due: Date | null;
  /** The console page that settles it. */
  href: string;
}

/** Reminders of every organisation in the scope, as of `now`. */
export type ReminderSource = (scope: Scope, now: Date) => Promise<RegisterReminder[]>;

/** A register's figure for a checklist signal (see domain/checklist/template.ts SIGNALS). */
export interface RegisterFigure {
  value: number;
  /** For ratios (e.g. operators trained out of all operators). */
  of?: number;
  href: string;
}

/** Figures of one organisation's fiscal year, keyed by checklist signal; the scope is already narrowed to it. */
export type FigureSource = (scope: Scope, organizationId: string, fiscalYear: number, now: Date) => Promise<Record<string, RegisterFigure>>;

/** A table of the external-audit report's register section (plain data; the renderer lays it out). */
export interface RegisterTable {
  /** Catalogue key of the table's heading. */
  title: string;
  /** Catalogue keys of the column headings. */
  columns: string[];
  /** Cells as shown (dates already formatted); an empty list prints the catalogue's "none" line. */
  rows: string[][];
}

/** The register tables of one municipality's audit period. */
export type AuditTableSource = (scope: Scope, organizationId: string, period: { from: Date; to: Date }) => Promise<RegisterTable[]>;
