// What a person would see as broken, checked in the page before every screenshot.
// Run by `App::screenshot` through WebDriver; returns {ready, problems, errors}:
// `ready` is false while a bundled font face is still loading (the harness waits),
// `problems` lists what no screen may show, and `errors` the error messages shown
// (the harness compares them with what the test expects).
//
// arguments[0]: every Fluent message id that contains a hyphen (from locales/en).
// arguments[1]: Latin words allowed in a Kazakh or Russian window (instrument names).
const messageIds = new Set(arguments[0]);
const allowedLatin = new Set(arguments[1].map((word) => word.toLowerCase()));
const problems = [];

// The faces the page bundles, with the characters each one draws.
const faces = [];
document.fonts.forEach((face) => faces.push(face));
const failed = faces.filter((face) => face.status === "error");
if (failed.length > 0) {
  const names = failed.map((face) => `${face.family} ${face.weight} (${face.unicodeRange})`);
  return { ready: true, problems: [`bundled font faces failed to load: ${names.join("; ")}`], errors: [] };
}
// The window loads every face before its first paint (ui/src/lib/fonts.ts); one still
// loading is waited for, one never loaded fails below if its characters are shown.
if (faces.some((face) => face.status === "loading") || document.fonts.status !== "loaded") {
  const waiting = faces.filter((face) => face.status === "loading").map((face) => `${face.family} ${face.weight} ${face.status}`);
  return { ready: false, problems: [], errors: [], waiting };
}
const unquote = (family) => family.trim().replace(/^["']|["']$/g, "");
function ranges(face) {
  return face.unicodeRange.split(",").map((part) => {
    const [from, to] = part.trim().replace(/^U\+/i, "").split("-");
    return [parseInt(from, 16), parseInt(to ?? from, 16)];
  });
}
const describe = (face) => ({ family: unquote(face.family), weight: Number(face.weight), style: face.style, ranges: ranges(face) });
const declared = faces.map(describe);
const bundled = faces.filter((face) => face.status === "loaded").map(describe);
const bundledFamilies = new Set(faces.map((face) => unquote(face.family)));
const unloaded = faces.filter((face) => face.status !== "loaded").map((face) => `${unquote(face.family)} ${face.weight}`);

function drawable(family, weight, style, codePoint) {
  return bundled.some(
    (face) =>
      face.family === family &&
      face.weight === weight &&
      face.style === style &&
      face.ranges.some(([from, to]) => codePoint >= from && codePoint <= to),
  );
}

function shown(element) {
  if (!element || element.closest("[inert], [aria-hidden=true]")) return false;
  const style = getComputedStyle(element);
  return style.visibility !== "hidden" && style.display !== "none" && element.getClientRects().length > 0;
}

/** Checks that `text`, drawn with `element`'s font, has a bundled glyph for every character. */
function checkGlyphs(element, text) {
  const style = getComputedStyle(element);
  const family = unquote(style.fontFamily.split(",")[0]);
  const weight = Number(style.fontWeight);
  const fontStyle = style.fontStyle === "normal" ? "normal" : style.fontStyle;
  const quoted = JSON.stringify(text.trim().slice(0, 80));
  if (!bundledFamilies.has(family)) {
    problems.push(`${quoted} is drawn with "${family}", which the window does not bundle`);
    return;
  }
  const missing = new Set();
  let weightMissing = false;
  for (const character of text) {
    if (/\s/.test(character)) continue;
    const codePoint = character.codePointAt(0);
    if (!drawable(family, weight, fontStyle, codePoint)) {
      if (!declared.some((face) => face.family === family && face.weight === weight && face.style === fontStyle)) weightMissing = true;
      else missing.add(character);
    }
  }
  if (weightMissing) problems.push(`${quoted} is drawn in ${family} ${weight} ${fontStyle}, a weight the window does not bundle`);
  if (missing.size > 0) {
    const note = unloaded.length > 0 ? ` (faces not loaded: ${unloaded.join(", ")})` : "";
    problems.push(`${quoted} has characters no loaded ${family} face draws: ${[...missing].join(" ")}${note}`);
  }
}

// English words that give a sentence away; a name or an instrument never has them.
const ENGLISH = new Set(
  "the is are was to of and an in it for not no with your you this that be has have can will on from please there here".split(" "),
);
const lang = document.documentElement.lang;
function checkLanguage(text) {
  if (lang !== "kk" && lang !== "ru") return;
  // An identifier (a computer's id, a fingerprint) is hex digits, not words.
  if (/^[0-9a-fA-F:\s-]+$/.test(text.trim())) return;
  const words = (text.match(/[A-Za-z]+/g) ?? []).filter((word) => !allowedLatin.has(word.toLowerCase()));
  if (words.length >= 2 && words.some((word) => ENGLISH.has(word.toLowerCase()))) {
    problems.push(`an English sentence in a ${lang} window: ${JSON.stringify(text.trim().slice(0, 120))}`);
  }
}

function checkMessageIds(text) {
  for (const token of text.split(/[^a-z0-9-]+/)) {
    if (messageIds.has(token)) problems.push(`a raw message id is shown: ${JSON.stringify(token)} in ${JSON.stringify(text.trim().slice(0, 80))}`);
  }
}

function check(element, text) {
  if (!text || !text.trim()) return;
  checkGlyphs(element, text);
  checkLanguage(text);
  checkMessageIds(text);
}

const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const parent = node.parentElement;
  if (!parent || parent.closest("script, style, option, title") || !shown(parent)) continue;
  check(parent, node.data);
}
// What inputs show is not a text node: their values, placeholders and the chosen option.
for (const input of document.querySelectorAll("input, textarea, select")) {
  if (!shown(input)) continue;
  if (input instanceof HTMLSelectElement) check(input, input.selectedOptions[0]?.textContent ?? "");
  else if (input.type !== "password" && input.type !== "checkbox" && input.type !== "radio" && input.type !== "file") {
    check(input, input.value || input.placeholder);
  }
}

// Error messages on screen: the app shows them with role=alert, `.problem`,
// `.error` or under a field. A risk flag's banner is an alert but not an error.
const errors = [...document.querySelectorAll("[role=alert], .problem, .error, .field-error")]
  .filter((element) => shown(element) && !element.closest("[data-testid=risk-banner]"))
  .filter((element, index, all) => !all.some((other, at) => at !== index && other.contains(element)))
  .map((element) => element.textContent.trim().replace(/\s+/g, " "))
  .filter((text) => text.length > 0);

return { ready: true, problems, errors };
