// Calendar dates in ISO form (YYYY-MM-DD), as post-mortems, the configuration and --since write
// them. JavaScript's parsers are lenient where this must not be: `2026-02-31` rolls over to March,
// and two-digit years become 19xx. A date here is a real day between 1970 (git's epoch: no commit
// is older) and 9999.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds since the epoch at 00:00 UTC of that day, or null when it is not a real date. */
export function calendarDate(value: string): number | null {
  const match = ISO_DATE.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1970 || month < 1 || month > 12 || day < 1) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.getTime();
}

export function isCalendarDate(value: string): boolean {
  return calendarDate(value) !== null;
}
