// Which screen the window shows, and a client another screen asked to open: the
// agenda opens a client, or a consultation it starts, by switching to the caseload,
// which picks the request up.

export type ScreenId = "caseload" | "agenda" | "questionnaires" | "letters" | "settings";

export const navigation = $state<{
  screen: ScreenId;
  openClient: string | null;
  openConsultation: { id: string; clientId: string } | null;
  openLetter: { id: string; clientId: string } | null;
  showLetter: { id: string; savedPath: string | null; missing: string[] } | null;
  visits: number;
  /** What the screen shows inside its section, for the title bar: a client's name as
   * it is, or the message id of a view's name ("Consultation"), translated as shown. */
  detail: { text: string } | { message: string } | null;
}>({
  screen: "caseload",
  openClient: null,
  openConsultation: null,
  openLetter: null,
  showLetter: null,
  // Counts clicks in the navigation: clicking the current screen again returns it
  // to its start (the caseload's list).
  visits: 0,
  detail: null,
});

/** Shows `screen` from its start. */
export function go(screen: ScreenId): void {
  navigation.screen = screen;
  navigation.detail = null;
  navigation.visits += 1;
}

/** Shows client `id` on the caseload screen. */
export function openClient(id: string): void {
  navigation.openClient = id;
  navigation.screen = "caseload";
}

/** Shows consultation `id` (of client `clientId`) in the caseload's editor. */
export function openConsultation(id: string, clientId: string): void {
  navigation.openConsultation = { id, clientId };
  navigation.screen = "caseload";
}

/** Opens draft letter `id` (of client `clientId`) in the caseload's composer. */
export function openLetter(id: string, clientId: string): void {
  navigation.openLetter = { id, clientId };
  navigation.screen = "caseload";
}

/**
 * Shows issued letter `id` in the letter register, with where its PDF was just saved
 * and the characters its fonts lacked.
 */
export function showLetter(id: string, savedPath: string | null = null, missing: string[] = []): void {
  navigation.showLetter = { id, savedPath, missing };
  navigation.screen = "letters";
  navigation.detail = null;
}

/**
 * Whether a profile is open, and how many times one was unlocked in this run. The
 * screens stay mounted under the gate while the profile is locked (so that the user
 * returns to what she was doing): they ask for nothing while `unlocked` is false —
 * the answer could only be "locked" — and read `unlocks` in an effect to load again
 * once the profile is open.
 */
export const access = $state<{ unlocked: boolean; unlocks: number }>({ unlocked: false, unlocks: 0 });
