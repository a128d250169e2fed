// Loading the bundled fonts before the first paint. A face declared with a
// `unicode-range` is fetched only when one of its characters first appears, and the
// text waits or falls back meanwhile; loading them all up front means a Kazakh name
// is drawn whole the first time it is shown.

/** How long the window waits for its fonts before drawing with the fallback. */
const PATIENCE_MS = 3000;

/** Loads every `@font-face` of the page, or gives up after a few seconds. */
export async function loadBundledFonts(): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const patience = new Promise<void>((resolve) => (timer = setTimeout(resolve, PATIENCE_MS)));
  await Promise.race([loadAll(), patience]);
  clearTimeout(timer);
}

async function loadAll(): Promise<void> {
  // The faces are declared by a stylesheet that may still be loading when this module
  // runs: the window's load event waits for it.
  if (document.readyState !== "complete") {
    await new Promise<void>((resolve) => window.addEventListener("load", () => resolve(), { once: true }));
  }
  const loads: Promise<unknown>[] = [];
  document.fonts.forEach((face) => loads.push(face.load().catch(() => undefined)));
  await Promise.all(loads);
}
