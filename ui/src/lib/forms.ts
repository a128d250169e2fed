// Field messages from the backend, placed under the fields they are about.
import type { FieldMessage } from "./bindings";

/** Each field's messages, joined, by the field's snake_case name. */
export type FieldErrors = Record<string, string>;

export function byField(problems: readonly FieldMessage[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const { field, message } of problems) errors[field] = errors[field] ? `${errors[field]} ${message}` : message;
  return errors;
}

/** The ARIA attributes of an input whose message (if any) has the id `${id}-error`. */
export function invalidAttrs(message: string | undefined, id: string): { "aria-invalid": boolean; "aria-describedby"?: string } {
  return message ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : { "aria-invalid": false };
}

/** Calls `run` once typing pauses for `ms`; `flush` runs a pending call now. */
export function debounce(run: () => void, ms: number): { schedule: () => void; flush: () => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return {
    schedule() {
      cancel();
      timer = setTimeout(() => {
        timer = null;
        run();
      }, ms);
    },
    flush() {
      if (timer === null) return;
      cancel();
      run();
    },
    cancel,
  };
}
