// Questionnaire scores as the window shows them: a total in the interface
// language's number format (a comma before decimals in Russian and Kazakh).

/** `12` → "12", `3.25` → "3,3" in Russian; nothing → "—". */
export function showScore(value: number | null | undefined, language: string): string {
  if (value == null) return "—";
  return new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(value);
}
