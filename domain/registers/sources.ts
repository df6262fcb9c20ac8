/**
 * The seams through which the registers (issue 17: equipment, operator IC
 * cards, training and drills) reach the rest of the console. Each register
 * module's providers are imported and listed below; the dashboard, the reminder
 * notifications, the checklist's suggestions and the external-audit report
 * read the lists only, so a register never needs to know its readers.
 */
import type { AuditTableSource, FigureSource, ReminderSource } from "./types";
import { cardAuditTables, cardFigures, cardReminders } from "./cards";
import { equipmentAuditTables, equipmentFigures, equipmentReminders } from "./equipment";
import { trainingAuditTables, trainingFigures, trainingReminders } from "./training";

export type { AuditTableSource, FigureSource, RegisterFigure, RegisterReminder, RegisterTable, ReminderKind, ReminderSource } from "./types";

export const REMINDER_SOURCES: ReminderSource[] = [equipmentReminders, cardReminders, trainingReminders];
export const FIGURE_SOURCES: FigureSource[] = [equipmentFigures, cardFigures, trainingFigures];
export const AUDIT_TABLE_SOURCES: AuditTableSource[] = [equipmentAuditTables, cardAuditTables, trainingAuditTables];
