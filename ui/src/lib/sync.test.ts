import { describe, expect, it } from "vitest";
import { ago, fingerprintGroups, until } from "./sync.svelte";

describe("relative moments", () => {
  const now = Date.UTC(2026, 11, 3, 12, 0, 0);
  it("says just now, minutes, hours and days ago", () => {
    expect(ago(now - 20_000, now)).toEqual({ id: "sync-ago-now", count: 0 });
    expect(ago(now - 5 * 60_000, now)).toEqual({ id: "sync-ago-minutes", count: 5 });
    expect(ago(now - 3 * 3_600_000 - 1, now)).toEqual({ id: "sync-ago-hours", count: 3 });
    expect(ago(now - 50 * 3_600_000, now)).toEqual({ id: "sync-ago-days", count: 2 });
    // A clock set back shows "just now", never a negative time.
    expect(ago(now + 60_000, now)).toEqual({ id: "sync-ago-now", count: 0 });
  });
  it("counts down seconds, then minutes", () => {
    expect(until(now + 40_000, now)).toEqual({ id: "sync-in-seconds", count: 40 });
    expect(until(now + 4 * 60_000, now)).toEqual({ id: "sync-in-minutes", count: 4 });
    expect(until(now - 1_000, now)).toEqual({ id: "sync-in-seconds", count: 0 });
  });
});

describe("fingerprints", () => {
  it("are grouped by four as the administrator's printout shows them", () => {
    expect(fingerprintGroups("ab12cd34ef")).toEqual(["AB12", "CD34", "EF"]);
    expect(fingerprintGroups("")).toEqual([]);
  });
});
