// Turning an IPC error into words: the general message comes from the error's
// stable kind, never from parsing its text; the specific message (already in the
// user's language) is shown under it.
import type { IpcError, IpcErrorKind } from "./bindings";
import { t } from "./i18n.svelte";

/** The Fluent id explaining an error kind: `NotFound` → `error-kind-not-found`. */
export function errorKindMessageId(kind: IpcErrorKind): string {
  return "error-kind-" + kind.replace(/[A-Z]/g, (letter, offset: number) => (offset > 0 ? "-" : "") + letter.toLowerCase());
}

// A record keyed by the generated union: the type check fails when Rust adds a kind
// that is not listed here, and the unit test then demands a message for it.
const KINDS: Record<IpcErrorKind, true> = {
  NotFound: true,
  Validation: true,
  Locked: true,
  Conflict: true,
  ReadOnly: true,
  Offline: true,
  Storage: true,
  Internal: true,
};

/** Every kind the Rust side can send. */
export const ERROR_KINDS = Object.keys(KINDS) as IpcErrorKind[];

export type { IpcError };

/**
 * An error in words, for one line of a screen: what kind of problem it is, then what
 * exactly happened (both in the user's language), said once when they coincide.
 */
export function explain(error: { kind: IpcErrorKind; message: string }): string {
  const general = t(errorKindMessageId(error.kind));
  const specific = error.message.trim();
  return !specific || specific === general ? general : `${general} ${specific}`;
}
