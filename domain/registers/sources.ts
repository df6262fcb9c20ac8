/**
 * The seams through which the registers (issue 17: equipment, operator IC
 * cards, training and drills) reach the rest of the console. Each register
 * module's providers are imported and listed below; the dashboard, the reminder
 * notifications, the checklist's suggestions and the external-audit report
 * read the lists only, so a register never needs to know its readers.
 */
import type { Scope } from "../../lib/auth/scope";
import { cardAuditTables, cardFigures, cardReminders } from "./cards";
import { equipmentAuditTables, equipmentFigures, equipmentReminders } from "./equipment";
import { trainingAuditTables, trainingFigures, trainingReminders } from "./training";

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

// Filled by the register modules (one line each), e.g. `[equipmentReminders, cardReminders, trainingReminders]`.
export const REMINDER_SOURCES: ReminderSource[] = [equipmentReminders, cardReminders, trainingReminders];
export const FIGURE_SOURCES: FigureSource[] = [equipmentFigures, cardFigures, trainingFigures];
export const AUDIT_TABLE_SOURCES: AuditTableSource[] = [equipmentAuditTables, cardAuditTables, trainingAuditTables];
