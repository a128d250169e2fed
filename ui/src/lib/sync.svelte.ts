// Where sync stands, shared by the status line, the sync panel, Settings → Server and
// the caseload: the backend's status, asked for every few seconds while a profile is
// unlocked (it reads the profile only, never the network), and how a moment is said
// relative to now.

import { commands, type SyncStatus_Serialize } from "./bindings";

export const sync = $state<{
  /** The latest status; `null` while locked or before the first answer. */
  status: SyncStatus_Serialize | null;
  /** Whether the sync panel is open. */
  panel: boolean;
  /** The record whose conflicts are compared side by side (`entity:id`). */
  review: string | null;
  /** Counts syncs that changed what this computer holds or what the server has of
   *  it: screens showing records read them again when it moves. */
  changes: number;
}>({ status: null, panel: false, review: null, changes: 0 });

/** Asks the backend where sync stands now. */
export async function refreshSync(): Promise<void> {
  const result = await commands.syncStatus();
  const before = sync.status;
  sync.status = result.status === "ok" ? result.data : null;
  const after = sync.status;
  if (
    before &&
    after &&
    (before.last_sync_ms !== after.last_sync_ms || before.acknowledged !== after.acknowledged || before.enrolled !== after.enrolled)
  ) {
    sync.changes += 1;
  }
}

/** Forgets the status (the profile was locked). */
export function forgetSync(): void {
  sync.status = null;
  sync.panel = false;
  sync.review = null;
}

/** How long ago `ms` was, as a message id and its count: "just now", minutes,
 *  hours, days. */
export function ago(ms: number, now: number = Date.now()): { id: string; count: number } {
  const minutes = Math.floor(Math.max(0, now - ms) / 60_000);
  if (minutes < 1) return { id: "sync-ago-now", count: 0 };
  if (minutes < 60) return { id: "sync-ago-minutes", count: minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return { id: "sync-ago-hours", count: hours };
  return { id: "sync-ago-days", count: Math.floor(hours / 24) };
}

/** How long until `ms`, in whole seconds or minutes, for "retrying in …". */
export function until(ms: number, now: number = Date.now()): { id: string; count: number } {
  const seconds = Math.max(0, Math.ceil((ms - now) / 1000));
  if (seconds < 90) return { id: "sync-in-seconds", count: seconds };
  return { id: "sync-in-minutes", count: Math.round(seconds / 60) };
}

/** A certificate fingerprint in groups of four, as `tirek-server init` prints it. */
export function fingerprintGroups(hex: string): string[] {
  return hex.toUpperCase().match(/.{1,4}/g) ?? [];
}
