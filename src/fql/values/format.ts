// Canonical text forms of scalar values, matching Fauna (which follows Java's
// Double.toString and Instant.toString). Shared by the wire encoders and the standard library.
import type { Value } from './value';

/** Java `Double.toString` style: "3.0", "22.2", "1.0E10", "1.5E-5", "NaN", "-Infinity". */
export function formatDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  // Shortest round-trip digits and decimal exponent from JS's own algorithm.
  const [mant, expStr] = abs.toExponential().split('e');
  const digits = mant.replace('.', '');
  const exp = Number(expStr);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const frac = digits.slice(exp + 1) || '0';
      return `${sign}${intPart}.${frac}`;
    }
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  const frac = digits.slice(1) || '0';
  return `${sign}${digits[0]}.${frac}E${exp}`;
}

const NS_PER_DAY = 86_400_000_000_000n;

/** Days since 1970-01-01 → [year, month (1-12), day]. Proleptic Gregorian (Hinnant's algorithm). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? y + 1 : y, m, d];
}

/** [year, month (1-12), day] → days since 1970-01-01. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function formatYear(y: number): string {
  if (y > 9999) return '+' + y;
  if (y < 0) return '-' + pad(-y, 4);
  return pad(y, 4);
}

/** `Date` text: "2022-12-15". */
export function formatDate(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${formatYear(y)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** Java `Instant.toString`: UTC with `Z`; fraction omitted when zero, else 3, 6 or 9 digits. */
export function formatTime(ns: bigint): string {
  let days = ns / NS_PER_DAY;
  let rem = ns % NS_PER_DAY;
  if (rem < 0n) { rem += NS_PER_DAY; days -= 1n; }
  const secOfDay = Number(rem / 1_000_000_000n);
  const nanos = Number(rem % 1_000_000_000n);
  const hh = Math.floor(secOfDay / 3600);
  const mm = Math.floor((secOfDay % 3600) / 60);
  const ss = secOfDay % 60;
  let frac = '';
  if (nanos !== 0) {
    if (nanos % 1_000_000 === 0) frac = '.' + pad(nanos / 1_000_000, 3);
    else if (nanos % 1000 === 0) frac = '.' + pad(nanos / 1000, 6);
    else frac = '.' + pad(nanos, 9);
  }
  return `${formatDate(Number(days))}T${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}${frac}Z`;
}

// Java's ISO_LOCAL_DATE year: exactly 4 digits, or a sign and up to 9 digits (a `+` is only
// accepted, and required, beyond 4 digits). Offsets follow core's Timestamp.parse: `Z`,
// `+HH:MM`, `+HH:MM:ss` or `+HHMM`.
const YEAR = '(\\d{4}|-\\d{4,9}|\\+\\d{5,9})';
const DATE_RE = new RegExp(`^${YEAR}-(\\d{2})-(\\d{2})$`);
const TIME_RE = new RegExp(
  `^${YEAR}-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?(Z|[+-]\\d{2}:\\d{2}(?::\\d{2})?|[+-]\\d{4})$`,
  'i');

function validYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const dim = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= dim[m - 1];
}

/** Parse "YYYY-MM-DD" into days since the epoch; undefined if malformed or not a real date. */
export function parseDate(s: string): number | undefined {
  const m = DATE_RE.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  if (!validYmd(y, mo, d)) return undefined;
  return daysFromCivil(y, mo, d);
}

/**
 * Parse an ISO-8601 date-time with an offset ("2023-03-09T17:45:17.520Z",
 * "2003-02-08T13:28:12.000555+00:00", "...+0100") into ns since the epoch.
 */
export function parseTime(s: string): bigint | undefined {
  const m = TIME_RE.exec(s);
  if (!m) return undefined;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  const hh = Number(m[4]), mi = Number(m[5]), ss = m[6] ? Number(m[6]) : 0;
  if (!validYmd(y, mo, d) || hh > 23 || mi > 59 || ss > 59) return undefined;
  const fracNs = m[7] ? BigInt(m[7].padEnd(9, '0')) : 0n;
  let offsetSec = 0;
  const off = m[8];
  if (off.toUpperCase() !== 'Z') {
    const sign = off[0] === '-' ? -1 : 1;
    const digits = off.slice(1).replace(/:/g, '');
    const oh = Number(digits.slice(0, 2)), om = Number(digits.slice(2, 4)), os = Number(digits.slice(4, 6) || '0');
    if (oh > 18 || om > 59 || os > 59) return undefined;
    offsetSec = sign * (oh * 3600 + om * 60 + os);
  }
  const days = BigInt(daysFromCivil(y, mo, d));
  const secs = BigInt(hh * 3600 + mi * 60 + ss - offsetSec);
  return days * NS_PER_DAY + secs * 1_000_000_000n + fracNs;
}

/** Standard, padded base64 (Fauna's `@bytes`). */
export function formatBytes(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

/**
 * The text `toString()` gives for a scalar (core ToString.toDisplayString): strings as-is,
 * whole Doubles without a fraction ("2", not "2.0"), Times and Dates in ISO form, Bytes in
 * base64. Undefined for values that are not scalars.
 */
export function displayScalar(v: Value): string | undefined {
  switch (v.t) {
    case 'null': return 'null';
    case 'boolean': return v.v ? 'true' : 'false';
    case 'int': return String(v.v);
    case 'long': return v.v.toString();
    case 'double': return displayDouble(v.v);
    case 'string': return v.v;
    case 'bytes': return formatBytes(v.v);
    // core ToString: the transaction time is not known before commit.
    case 'time': return v.txn ? '[transaction time]' : formatTime(v.ns);
    case 'date': return formatDate(v.days);
    case 'uuid': return v.v;
    default: return undefined;
  }
}

/** Java's `String.format("%.0f", d)` for whole values (exact digits), else `Double.toString`. */
function displayDouble(n: number): string {
  if (n % 1 !== 0) return formatDouble(n);
  if (Object.is(n, -0)) return '-0';
  return BigInt(n).toString();
}
