import { describe, expect, it } from "vitest";
import { showPhone } from "./phone";

describe("showPhone", () => {
  it("groups a stored number as it is said aloud", () => {
    expect(showPhone("+77012345678")).toBe("+7 701 234 56 78");
  });
  it("leaves anything else alone and shows nothing for no number", () => {
    expect(showPhone("+7701")).toBe("+7701");
    expect(showPhone(null)).toBe("");
  });
});
