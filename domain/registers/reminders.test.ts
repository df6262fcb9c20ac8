import { describe, expect, it } from "vitest";
import { countReminders, reminderEvents } from "./reminders";
import type { RegisterReminder } from "./sources";

const r = (kind: RegisterReminder["kind"], organizationId: string, subject: string, due: Date | null = null): RegisterReminder => ({
  kind,
  organizationId,
  subject,
  due,
  href: `/registers/x?organization=${organizationId}`,
});

describe("register reminders", () => {
  it("counts per kind in the display order; one organisation links to its page, several to the register's", () => {
    const counts = countReminders([
      r("operator_untrained", "352012", "OP-1"),
      r("card_not_returned", "352012", "IC-1"),
      r("operator_untrained", "352039", "OP-2"),
    ]);
    expect(counts).toEqual([
      { kind: "card_not_returned", count: 1, href: "/registers/x?organization=352012" },
      { kind: "operator_untrained", count: 2, href: "/registers/x" },
    ]);
    expect(countReminders([])).toEqual([]);
  });

  it("makes one notification per organisation and kind, keyed by the JST month", () => {
    const now = new Date("2026-11-30T16:00:00Z"); // 2026-12-01 01:00 JST
    const events = reminderEvents(
      [
        r("operator_untrained", "352012", "OP-1"),
        r("operator_untrained", "352012", "OP-2"),
        r("maintenance_ending", "352012", "CS-1", new Date("2027-01-31T15:00:00Z")),
      ],
      now,
    );
    expect(events.map((e) => e.dedupeKey).sort()).toEqual([
      "register.reminder:maintenance_ending:352012:2026.12",
      "register.reminder:operator_untrained:352012:2026.12",
    ]);
    const untrained = events.find((e) => e.dedupeKey?.includes("operator_untrained"))!;
    expect(untrained).toMatchObject({ type: "register.reminder", organizationCode: "352012", severity: "low" });
    expect(untrained.title).toContain("2件");
    expect(untrained.lines?.[0]).toContain("OP-1、OP-2");
    expect(events.find((e) => e.dedupeKey?.includes("maintenance"))!.lines?.[0]).toContain("2027/02/01");
  });
});
