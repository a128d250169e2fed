// Dates read and shown the way a clinic in Kazakhstan writes them.
import { describe, expect, it } from "vitest";
import { addDays, ageInYears, isoToday, mondayOf, showDate, typedToIso } from "./dates";

describe("dates", () => {
  it("show stored dates as DD.MM.YYYY", () => {
    expect(showDate("2019-03-15")).toBe("15.03.2019");
    expect(showDate(null)).toBe("");
    expect(showDate("soon")).toBe("soon");
  });

  it("read both ways of typing a date, and refuse impossible ones", () => {
    expect(typedToIso("15.03.2019")).toBe("2019-03-15");
    expect(typedToIso(" 5.3.2019 ")).toBe("2019-03-05");
    expect(typedToIso("2019-03-15")).toBe("2019-03-15");
    expect(typedToIso("31.02.2019")).toBeNull();
    expect(typedToIso("tomorrow")).toBeNull();
  });

  it("count days across months, years and leap days", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
    expect(addDays("2025-03-01", -1)).toBe("2025-02-28");
  });

  it("start the week on Monday", () => {
    expect(mondayOf("2025-06-11")).toBe("2025-06-09"); // a Wednesday
    expect(mondayOf("2025-06-09")).toBe("2025-06-09");
    expect(mondayOf("2025-06-15")).toBe("2025-06-09"); // a Sunday
  });

  it("count whole years of age, birthday included", () => {
    expect(ageInYears("2019-03-15", "2025-03-14")).toBe(5);
    expect(ageInYears("2019-03-15", "2025-03-15")).toBe(6);
    expect(ageInYears(null, "2025-03-15")).toBeNull();
  });

  it("take today from Kazakhstan's calendar (UTC+5), whatever the computer's zone", () => {
    expect(isoToday(new Date(Date.UTC(2025, 0, 2, 18, 59)))).toBe("2025-01-02");
    expect(isoToday(new Date(Date.UTC(2025, 0, 2, 19, 0)))).toBe("2025-01-03");
    expect(isoToday(new Date(Date.UTC(2024, 11, 31, 20, 0)))).toBe("2025-01-01");
  });
});
