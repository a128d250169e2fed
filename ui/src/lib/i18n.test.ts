// The window asks only for messages that exist, in every language, and explains
// every error kind the Rust side can send.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_KINDS, errorKindMessageId } from "./errors";
import { LANGUAGES, format, hasMessage } from "./i18n.svelte";

const SRC = join(import.meta.dirname, "..");
const SCREENS = ["caseload", "agenda", "questionnaires", "letters", "settings"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(svelte|ts)$/.test(name) && !name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Message ids written literally as `t("id")` or `t("id", {...})` anywhere in the UI. */
function literalIds(): Set<string> {
  const ids = new Set<string>();
  for (const file of sourceFiles(SRC)) {
    for (const match of readFileSync(file, "utf8").matchAll(/\bt\(\s*"([a-z0-9-]+)"/g)) ids.add(match[1]!);
  }
  return ids;
}

describe("messages used by the window", () => {
  const ids = [...literalIds(), ...SCREENS.flatMap((screen) => [`nav-${screen}`, `${screen}-title`])];

  it("finds the literal ids it is meant to check", () => {
    expect(ids).toContain("app-tagline");
    expect(ids).toContain("data-dir-problem-body");
  });

  for (const language of LANGUAGES) {
    it(`exist in ${language}`, () => {
      expect(ids.filter((id) => !hasMessage(language, id))).toEqual([]);
    });
  }
});

describe("error kinds", () => {
  it("map to Fluent ids in kebab case", () => {
    expect(errorKindMessageId("NotFound")).toBe("error-kind-not-found");
    expect(errorKindMessageId("Internal")).toBe("error-kind-internal");
  });

  for (const language of LANGUAGES) {
    it(`all have a message in ${language}`, () => {
      expect(ERROR_KINDS.filter((kind) => !hasMessage(language, errorKindMessageId(kind)))).toEqual([]);
    });
  }
});

describe("formatting", () => {
  it("fills placeholders without isolation marks", () => {
    expect(format("kk", "data-dir-problem-body", { path: "/srv/tirek" })).toMatch(/^\/srv\/tirek деректер қалтасына/);
  });

  it("shows an unknown id as itself", () => {
    expect(format("ru", "no-such-message")).toBe("no-such-message");
  });

  it("keeps Kazakh letters intact", () => {
    expect(format("kk", "nav-caseload")).toBe("Клиенттер");
    expect(format("kk", "caseload-empty-heading")).toBe("Әзірге отбасылар жоқ");
  });
});
