// Dates as the window shows and reads them. The backend stores `YYYY-MM-DD`; people
// read and type `DD.MM.YYYY`. Date-only arithmetic runs in UTC so that a daylight
// saving change can never move a day.

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function fromUtc(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

function toUtc(iso: string): Date | null {
  const match = ISO.exec(iso);
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return fromUtc(date) === iso ? date : null;
}

/** The clinic's today, as `YYYY-MM-DD`: the calendar day in Kazakhstan (UTC+5),
 *  the day the app's own dates use (tirek-domain's `Date::in_kazakhstan`), whatever
 *  time zone this computer is set to — so the agenda, the forms and the backend
 *  agree on what "today" is, even late in the evening on a computer set to UTC. */
export function isoToday(now: Date = new Date()): string {
  return fromUtc(new Date(now.getTime() + KAZAKHSTAN_OFFSET_MS));
}

/** Kazakhstan's offset from UTC (one zone, UTC+5, since March 2024). */
const KAZAKHSTAN_OFFSET_MS = 5 * 60 * 60 * 1000;

/** The local calendar day of `date`, as `YYYY-MM-DD`. */
function localIso(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `2019-03-15` → `15.03.2019`; anything else is shown as it is, nothing as "". */
export function showDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const match = ISO.exec(iso);
  return match ? `${match[3]}.${match[2]}.${match[1]}` : iso;
}

/** A typed `15.03.2019` or `2019-03-15` as `YYYY-MM-DD`, or null when it is not a real date. */
export function typedToIso(typed: string): string | null {
  const text = typed.trim();
  const dotted = DOTTED.exec(text);
  const iso = dotted ? `${dotted[3]}-${pad(Number(dotted[2]))}-${pad(Number(dotted[1]))}` : text;
  return toUtc(iso) ? iso : null;
}

/** The day `days` after `iso` (before, when negative). */
export function addDays(iso: string, days: number): string {
  const date = toUtc(iso);
  if (!date) return iso;
  date.setUTCDate(date.getUTCDate() + days);
  return fromUtc(date);
}

/** The Monday of the week holding `iso` (weeks start on Monday in Kazakhstan). */
export function mondayOf(iso: string): string {
  const date = toUtc(iso);
  if (!date) return iso;
  return addDays(iso, -((date.getUTCDay() + 6) % 7));
}

/** Whole years from `birth` to `today`, or null when either is not a date. */
export function ageInYears(birth: string | null | undefined, today: string): number | null {
  const b = birth ? ISO.exec(birth) : null;
  const t = ISO.exec(today);
  if (!b || !t) return null;
  let years = Number(t[1]) - Number(b[1]);
  if (`${t[2]}${t[3]}` < `${b[2]}${b[3]}`) years -= 1;
  return years >= 0 ? years : null;
}

/** A moment (Unix ms) as local `HH:MM`. */
export function showTime(ms: number): string {
  const date = new Date(ms);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A moment (Unix ms) as local `DD.MM.YYYY HH:MM`. */
export function showMoment(ms: number): string {
  return `${showDate(localIso(new Date(ms)))} ${showTime(ms)}`;
}
