// Parsing of the Authorization header and of scoped secrets (core `AuthType.fromHeaders` and
// `AuthParser`, a PEG):
//
//   auth      := secret scope EOI | secret ':' ANY* EOI | secret EOI
//   scope     := ':' [database ':'] (builtin | '@role/' segment | ('classes/'|'collections/') segment | '@doc/' segment)
//   secret    := [^/,()&=:]+          database, segment := [^,()&=:]+
//
// The choice is ordered and does not backtrack once an alternative matched: `secret:admin2`
// matches the builtin `admin` and then fails at EOI, so the whole secret is rejected, while
// `secret:whatever` (no scope alternative matches) is the plain secret `secret`.
import type { Credentials, ScopedRole } from './credentials';

const SECRET_RE = /^[^/,()&=:]+/;
const SEGMENT_RE = /^[^,()&=:]+/;
const BUILTINS = ['admin', 'server-readonly', 'server', 'client'] as const;

/** Parse a secret (the bearer token) into its parts; null when it does not parse. */
export function parseSecret(token: string): Credentials | null {
  const m = SECRET_RE.exec(token);
  if (!m) return null;
  const secret = m[0];
  const rest = token.slice(secret.length);
  if (rest === '') return { secret, scopePath: [] };
  if (rest[0] !== ':') return null;
  const scoped = parseScope(rest.slice(1));
  if (scoped === 'nomatch') return { secret, scopePath: [] };
  if (scoped === 'trailing') return null;
  return { secret, scopePath: scoped.path, scopeRole: scoped.role };
}

type ScopeResult = { path: string[]; role: ScopedRole } | 'nomatch' | 'trailing';

function parseScope(s: string): ScopeResult {
  // optional(database ~ ':'): the greedy database segment is taken whenever ':' follows it,
  // and a role that then fails to match is not retried without it.
  const db = SEGMENT_RE.exec(s);
  if (db && s[db[0].length] === ':') return withPath(parseRole(s.slice(db[0].length + 1)), splitPath(db[0]));
  return withPath(parseRole(s), []);
}

function withPath(r: RoleResult, path: string[]): ScopeResult {
  if (r === 'nomatch' || r === 'trailing') return r;
  return { path, role: r };
}

type RoleResult = ScopedRole | 'nomatch' | 'trailing';

function parseRole(s: string): RoleResult {
  for (const b of BUILTINS) {
    if (s.startsWith(b)) return s.length === b.length ? { kind: 'builtin', role: b } : 'trailing';
  }
  const custom = prefixedSegment(s, '@role/');
  if (custom !== undefined) return custom === null ? 'trailing' : { kind: 'userRole', name: custom };
  for (const prefix of ['classes/', 'collections/', '@doc/']) {
    const ref = prefixedSegment(s, prefix);
    if (ref === undefined) continue;
    if (ref === null) return 'trailing';
    const slash = ref.indexOf('/');
    // Parses in core, but never names a document; authentication then fails the same way.
    if (slash <= 0 || slash === ref.length - 1) return 'trailing';
    return { kind: 'doc', coll: ref.slice(0, slash), id: ref.slice(slash + 1) };
  }
  return 'nomatch';
}

/** The segment after `prefix`; undefined if the prefix or segment is absent, null if text follows. */
function prefixedSegment(s: string, prefix: string): string | null | undefined {
  if (!s.startsWith(prefix)) return undefined;
  const m = SEGMENT_RE.exec(s.slice(prefix.length));
  if (!m) return undefined;
  return prefix.length + m[0].length === s.length ? m[0] : null;
}

/** Java `split("/")`: trailing empty segments dropped. */
function splitPath(db: string): string[] {
  const parts = db.split('/');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * The caller's credentials from an Authorization header: `Bearer <secret>` or
 * `Basic base64(<secret>:)` (the trailing colon of the empty password is dropped).
 * Null when absent or unusable (the request is then unauthorized).
 */
export function parseAuthorization(header: string | undefined): Credentials | null {
  if (header === undefined) return null;
  const h = header.trim();
  const space = h.indexOf(' ');
  if (space < 0) return null;
  const scheme = h.slice(0, space).toLowerCase();
  const value = h.slice(space + 1).trim();
  if (value === '') return null;
  if (scheme === 'bearer') return parseSecret(value);
  if (scheme === 'basic') {
    let decoded = Buffer.from(value, 'base64').toString('utf8');
    if (decoded.endsWith(':')) decoded = decoded.slice(0, -1);
    return decoded === '' ? null : parseSecret(decoded);
  }
  return null;
}
