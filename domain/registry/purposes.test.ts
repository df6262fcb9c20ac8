import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { purposes, parsePurposes, findPurposeItem, findSchedule, recipientById, SCHEDULE_IDS, isScheduleId } from "./purposes";

const rawFile = () => JSON.parse(readFileSync(fileURLToPath(new URL("../../data/purposes.json", import.meta.url)), "utf8"));

const allItems = () => purposes.schedules.flatMap((s) => s.items.map((item) => ({ schedule: s.id, item })));
const itemsOf = (id: string) => findSchedule(id)?.items ?? [];
const byName = (schedule: string, name: string) => itemsOf(schedule).find((i) => i.name === name);

describe("data/purposes.json", () => {
  it("validates against the schema", () => {
    expect(() => parsePurposes(rawFile())).not.toThrow();
    expect(purposes.version).toBe("2026.1");
  });

  it("fails loudly with the path of a bad entry", () => {
    const broken = rawFile();
    broken.schedules[0].items[2].recipient = "no-such-agency";
    expect(() => parsePurposes(broken)).toThrow(/schedules\[0\]\.items\[2\]\.recipient/);
    const badCount = rawFile();
    badCount.schedules[1].items[0].annual_count = -5;
    expect(() => parsePurposes(badCount)).toThrow(/schedules\[1\]\.items\[0\]\.annual_count/);
  });

  it("has every required schedule id", () => {
    const ids = purposes.schedules.map((s) => s.id);
    for (const id of SCHEDULE_IDS) expect(ids).toContain(id);
    expect(SCHEDULE_IDS).toEqual(["1", "2", "3", "4", "5", "6", "ordinance", "jukiho"]);
    expect(isScheduleId("consent")).toBe(true);
    expect(isScheduleId("7")).toBe(false);
  });

  it("has unique item ids that start with their schedule id", () => {
    const ids = allItems().map(({ item }) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { schedule, item } of allItems()) {
      expect(item.id.startsWith(`${schedule}-`)).toBe(true);
      expect(item.id).toMatch(/^[a-z0-9]+-\d+$/);
    }
  });

  it("numbers items in listing order", () => {
    for (const s of purposes.schedules) {
      s.items.forEach((item, i) => expect(item.id).toBe(`${s.id}-${i + 1}`));
    }
  });

  it("references only existing recipients", () => {
    for (const { item } of allItems()) expect(recipientById(item.recipient), item.id).toBeDefined();
    const recipientIds = purposes.recipients.map((r) => r.id);
    expect(new Set(recipientIds).size).toBe(recipientIds.length);
  });

  it("has enough items per schedule", () => {
    const national = ["1", "2", "3", "4"].reduce((n, id) => n + itemsOf(id).length, 0);
    expect(national).toBeGreaterThanOrEqual(30);
    expect(itemsOf("5").length).toBeGreaterThanOrEqual(21);
    expect(itemsOf("ordinance").length).toBeGreaterThanOrEqual(17);
  });

  it("records the totals stated in the seeds", () => {
    expect(findSchedule("1")?.total_items).toBe(184);
    expect(findSchedule("5")?.total_items).toBe(70);
    expect(findSchedule("ordinance")?.total_items).toBe(53);
    expect(findSchedule("5")?.demo_prefecture_usage).toMatchObject({ count: 133394, items_used: 21 });
    expect(findSchedule("ordinance")?.demo_prefecture_usage).toMatchObject({ count: 13813, items_used: 17 });
  });

  it("includes the move-in notice among the Basic Resident Register Act duties", () => {
    const tennyu = itemsOf("jukiho").find((i) => i.name.includes("転入通知"));
    expect(tennyu).toBeDefined();
    expect(tennyu?.annual_count).toBe(4_800_000);
  });

  it("contains 事務 taken from seed 001 with the right recipients", () => {
    const pension = byName("1", "国民年金の被保険者に係る届出、受給権者に係る届出等");
    expect(pension?.recipient).toBe("nenkin-kiko");
    expect(recipientById(pension!.recipient)?.name).toBe("日本年金機構");
    expect(pension?.annual_count).toBe(855_705_691);

    const tax = byName("1", "国税の賦課又は徴収等");
    expect(recipientById(tax!.recipient)?.name).toBe("国税庁");

    const exam = byName("1", "司法試験の受験願書の審査等");
    expect(recipientById(exam!.recipient)?.name).toBe("法務省");

    const passport = byName("5", "一般旅券の発給、記載事項の訂正等");
    expect(passport?.annual_count).toBe(2_800_000);

    const schoolAid = byName("6", "就学支援金の支給");
    expect(recipientById(schoolAid!.recipient)?.name).toContain("教育委員会");
  });

  it("finds items and recipients by id", () => {
    expect(findPurposeItem("1", "1-1")?.recipient).toBe("nenkin-kiko");
    expect(findPurposeItem("5", "1-1")).toBeUndefined();
    expect(findPurposeItem("9", "9-1")).toBeUndefined();
    expect(recipientById("kokuzeicho")?.kind).toBe("national");
    expect(recipientById("nope")).toBeUndefined();
  });

  it("keeps the seed's monthly provision table consistent with the item totals", () => {
    const rows = purposes.monthly_provisions ?? [];
    expect(rows.length).toBe(9 * 12);
    const april = rows.find((r) => r.month === "2020-04" && r.item === "1-1");
    expect(april).toMatchObject({ immediate: 1_252_347, media: 472_337, online_batch: 65_790_781 });
    const totals = new Map<string, number>();
    for (const r of rows) totals.set(r.item, (totals.get(r.item) ?? 0) + r.immediate + r.media + r.online_batch);
    for (const [itemId, total] of totals) {
      expect(findPurposeItem("1", itemId)?.annual_count, itemId).toBe(total);
    }
  });
});
