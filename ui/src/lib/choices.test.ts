// Every choice code the backend can send has a name in every language.
import { describe, expect, it } from "vitest";
import { CHOICES, choiceId, choiceLabel, type ChoiceGroup } from "./choices";
import { LANGUAGES, hasMessage } from "./i18n.svelte";

describe("choice names", () => {
  const ids = (Object.keys(CHOICES) as ChoiceGroup[]).flatMap((group) =>
    CHOICES[group].map((code) => choiceId(group, code)),
  );

  it("are named after the stored code", () => {
    expect(choiceId("format", "home_visit")).toBe("choice-format-home_visit");
    expect(choiceId("timeline", "consent_given")).toBe("timeline-kind-consent_given");
  });

  for (const language of LANGUAGES) {
    it(`include every weekday in ${language}`, () => {
      const weekdays = [0, 1, 2, 3, 4, 5, 6].map((day) => `weekday-${day}`);
      expect(weekdays.filter((id) => !hasMessage(language, id))).toEqual([]);
    });
  }

  for (const language of LANGUAGES) {
    it(`exist in ${language}`, () => {
      expect(ids.filter((id) => !hasMessage(language, id))).toEqual([]);
    });
  }

  it("show an unknown code as itself", () => {
    expect(choiceLabel("format", "hypnosis")).toBe("hypnosis");
    expect(choiceLabel("format", null)).toBe("");
  });
});
