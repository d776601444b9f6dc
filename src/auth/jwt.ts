// JSON Web Tokens as Fauna accepts them from identity providers (core fauna.net.security.JWT,
// JWTValidator.basicValidations; fauna.auth.Auth, JWTToken): a bearer secret with dots is a JWT
// (keys and tokens never contain one), in compact JWS form `header.payload.signature`, each part
// base64url. This module only parses and checks what needs no key: the algorithm, the time
// claims and the audience. Signatures are checked with the provider's keys (./jwks.ts).
//
// Deliberate differences from core, all stricter or safer: a `crit` header is refused (we
// understand no extension, RFC 7515 §4.1.11); a non-numeric `exp`/`nbf` is refused (core ignores
// it); and `exp`/`nbf` get LEEWAY_S seconds of clock skew (core allows none), so a token issued
// "now" by an IdP whose clock is a little ahead is not refused.

/** The signature algorithms core supports (RSAJWK.algToRSA): RSASSA-PKCS1-v1_5 only. */
export type JwtAlg = 'RS256' | 'RS384' | 'RS512';
const ALGS: ReadonlySet<string> = new Set<JwtAlg>(['RS256', 'RS384', 'RS512']);

/** Allowed clock skew for `exp` and `nbf`, in seconds. */
export const LEEWAY_S = 5;

export interface Jwt {
  readonly alg: JwtAlg;
  /** The key id (`kid` header), if any. */
  readonly kid?: string;
  /** The claims, as JSON. */
  readonly payload: Readonly<Record<string, unknown>>;
  /** `base64url(header) "." base64url(payload)`: the bytes the signature covers. */
  readonly signingInput: Buffer;
  readonly signature: Buffer;
}

const PART = '[A-Za-z0-9_-]+';
const JWT_SHAPE = new RegExp(`^${PART}\\.${PART}\\.${PART}$`);

/** Whether a bearer secret is meant as a JWT (core `AuthLike.isJWT`: it contains a dot). */
export const isJwtSecret = (secret: string): boolean => secret.includes('.');

function jsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a secret is unmistakably a JWT (three base64url parts, the first a JSON header with an
 * `alg`): such a secret is never a root secret, so it costs no bcrypt verify (./root-key.ts).
 */
export function hasJwtShape(secret: string): boolean {
  return JWT_SHAPE.test(secret) && typeof jsonObject(secret.slice(0, secret.indexOf('.')))?.alg === 'string';
}

/**
 * A JWT signed with an algorithm we verify, or undefined: malformed, unsigned (`alg: none`,
 * an empty signature), HMAC-signed (core refuses HS256/384/512: a public key must never serve
 * as an HMAC secret), any other algorithm, or a `crit` header.
 */
export function parseJwt(token: string): Jwt | undefined {
  if (!JWT_SHAPE.test(token)) return undefined;
  const [h, p, s] = token.split('.');
  const header = jsonObject(h);
  const payload = jsonObject(p);
  if (!header || !payload) return undefined;
  const alg = header.alg;
  if (typeof alg !== 'string' || !ALGS.has(alg) || 'crit' in header) return undefined;
  const kid = header.kid;
  if (kid !== undefined && typeof kid !== 'string') return undefined;
  const signature = Buffer.from(s, 'base64url');
  if (signature.length === 0) return undefined;
  return { alg: alg as JwtAlg, kid, payload, signingInput: Buffer.from(`${h}.${p}`, 'latin1'), signature };
}

/**
 * Whether `exp` and `nbf` admit the token at `nowS` (seconds): core refuses `now >= exp` and
 * `now <= nbf`; both may be absent.
 */
export function timelyAt(payload: Readonly<Record<string, unknown>>, nowS: number): boolean {
  const { exp, nbf } = payload;
  if (exp !== undefined && (typeof exp !== 'number' || !Number.isFinite(exp) || nowS >= exp + LEEWAY_S)) return false;
  if (nbf !== undefined && (typeof nbf !== 'number' || !Number.isFinite(nbf) || nowS + LEEWAY_S <= nbf)) return false;
  return true;
}

/** `aud` as a list (a string or an array of strings); undefined when it is anything else. */
export function audiencesOf(payload: Readonly<Record<string, unknown>>): readonly string[] | undefined {
  const aud = payload.aud;
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud) && aud.every((a) => typeof a === 'string')) return aud as string[];
  return undefined;
}
