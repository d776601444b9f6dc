// A database's audience (core JWTToken.canonicalDBUrl): `https://db.fauna.com/db/` followed by
// the database's global id in z-base-32 (core Database.encodeGlobalID → ZBase32.encodeLong: 13
// characters of 5 bits, least significant first, so ids such as `yu3pdd5ssyyyy` end in zero
// digits). A JWT names the one database it is for by carrying this URL in its `aud` claim; an
// access provider shows it as its read-only `audience`.
import type { DbId } from '../keys';

export const AUDIENCE_PREFIX = 'https://db.fauna.com/db/';
const ZBASE32 = 'ybndrfg8ejkmcpqxot1uwisza345h769';
const DIGITS = 13;

export function encodeGlobalId(id: bigint): string {
  let out = '';
  let n = BigInt.asUintN(64, id);
  for (let i = 0; i < DIGITS; i++) {
    out += ZBASE32[Number(n & 31n)];
    n >>= 5n;
  }
  return out;
}

/** The audience of database `db`. */
export const audienceOf = (db: DbId): string => AUDIENCE_PREFIX + encodeGlobalId(BigInt(db));

/**
 * The database an audience names, or undefined. Only the canonical spelling is accepted (the
 * exact text `audienceOf` produces), so one database never answers to two audiences.
 */
export function databaseOfAudience(aud: string): DbId | undefined {
  if (!aud.startsWith(AUDIENCE_PREFIX)) return undefined;
  const digits = aud.slice(AUDIENCE_PREFIX.length);
  if (digits.length !== DIGITS) return undefined;
  let n = 0n;
  for (let i = DIGITS - 1; i >= 0; i--) {
    const d = ZBASE32.indexOf(digits[i]);
    if (d < 0) return undefined;
    n = (n << 5n) | BigInt(d);
  }
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  const db = Number(n);
  return audienceOf(db) === aud ? db : undefined;
}
