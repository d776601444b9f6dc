// What keys and tokens share: a secret generated at creation, stored only as a digest on the
// document and in the global lookup entry that authentication reads, shown once.
import { newSecret, secretDigest } from '../../auth/secrets';
import type { EvalContext } from '../../fql/eval/context';
import type { Value } from '../../fql/values/value';
import { toBytes } from '../codec';
import { secretLookupKey } from '../keys';
import { modelOf } from '../stdlib/args';
import type { DocWrite } from '../write-broker';
import { rememberSecret } from './auth-state';
import type { SecretOwner } from './authenticate';
import { HASHED_SECRET } from './system';

/** A fresh secret and the field holding its digest, to store with the new document. */
export function issueSecret(): { secret: string; digest: string } {
  const secret = newSecret();
  return { secret, digest: secretDigest(secret) };
}

/** After the document `id` was created: register the lookup entry, show the secret once. */
export function registerSecret(ctx: EvalContext, coll: 'Key' | 'Token', id: string, issued: { secret: string; digest: string }): void {
  const model = modelOf(ctx);
  const owner: SecretOwner = { db: model.db, coll, id };
  model.kv.put(secretLookupKey(issued.digest), toBytes(owner));
  rememberSecret(model, coll, id, issued.secret);
}

/**
 * Shaping of updates and deletes: the digest cannot be changed or dropped by update/replace,
 * and deleting the document removes its lookup entry (authentication re-reads the document
 * anyway, so a stale entry could never authenticate).
 */
export function keepSecret(ctx: EvalContext, w: DocWrite): DocWrite {
  const digest = w.before?.data.get(HASHED_SECRET);
  if (w.action === 'delete') {
    if (digest?.t === 'string') modelOf(ctx).kv.delete(secretLookupKey(digest.v));
    return w;
  }
  if (!w.after || w.action === 'create') return w;
  const data = new Map<string, Value>(w.after.data);
  data.delete(HASHED_SECRET);
  if (digest) data.set(HASHED_SECRET, digest);
  return { ...w, after: { ...w.after, data } };
}
