/**
 * Demo system-work records (連携制御記録, issue 18): written by the generator
 * as `system-work.json` beside registry.json (they are console records, not
 * registry sections) and loaded into the database by `npm run demo`.
 */
import { db } from "../../lib/db";
import type { StepDates } from "../../domain/systemwork/slippage";

export interface DemoSystemWork {
  /** Stable id: reruns of the demo update the same record. */
  id: string;
  organization: string;
  title: string;
  vendor: string;
  purpose: "renewal" | "repair" | "upgrade";
  steps: StepDates[];
  link_control_set_at: string;
  link_control_set_by: string;
  tests_ended_at: string;
  tests_ended_by: string;
  test_data_deleted_at: string;
  test_data_deleted_by: string;
  link_control_released_at: string;
  link_control_released_by: string;
  note: string;
}

/** Loads the generated records (idempotent: keyed by id). */
export async function ensureDemoSystemWork(list: DemoSystemWork[]): Promise<number> {
  for (const w of list) {
    const data = {
      organizationId: w.organization,
      title: w.title,
      vendor: w.vendor,
      purpose: w.purpose,
      steps: JSON.stringify(w.steps),
      linkControlSetAt: new Date(w.link_control_set_at),
      linkControlSetBy: w.link_control_set_by,
      testsEndedAt: new Date(w.tests_ended_at),
      testsEndedBy: w.tests_ended_by,
      testDataDeletedAt: new Date(w.test_data_deleted_at),
      testDataDeletedBy: w.test_data_deleted_by,
      linkControlReleasedAt: new Date(w.link_control_released_at),
      linkControlReleasedBy: w.link_control_released_by,
      note: w.note,
      createdById: "demo",
    };
    await db().systemWork.upsert({ where: { id: w.id }, create: { id: w.id, ...data }, update: data });
  }
  return list.length;
}
