// Phone numbers as people read them. The backend stores one form, +7XXXXXXXXXX; the
// window groups it the way Kazakh numbers are said aloud: +7 701 234 56 78.

/** `+77012345678` as `+7 701 234 56 78`; anything else as it is. */
export function showPhone(stored: string | null | undefined): string {
  if (!stored) return "";
  const match = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(stored);
  return match ? `+7 ${match[1]} ${match[2]} ${match[3]} ${match[4]}` : stored;
}
