// A saved file is named by its name and folder, never by a raw path.
import { describe, expect, it } from "vitest";
import { savedPlace } from "./saved";

describe("savedPlace", () => {
  it("names the file and the folder it is in", () => {
    expect(savedPlace("/home/aliya/Documents/tirek-letter.pdf")).toEqual({ file: "tirek-letter.pdf", folder: "Documents" });
    expect(savedPlace("C:\\Users\\Әлия\\Құжаттар\\tirek-summary.pdf")).toEqual({ file: "tirek-summary.pdf", folder: "Құжаттар" });
    expect(savedPlace("D:\\tirek.json")).toEqual({ file: "tirek.json", folder: "D:" });
    expect(savedPlace("/tirek.pdf")).toEqual({ file: "tirek.pdf", folder: "/" });
  });
});
