// `source.where(pred)`, `source.map(fn)` and `source { a, b }` on an event source value: the
// same as applying them to the set before `.eventSource()` (core EventSources.scala,
// FQL2EventSourceSpec.scala "filters inner set" / "maps inner set"). The token's set
// description gains one layer; its start and watched fields are kept.
import { QueryError } from '../../errors';
import type { EventSourceV, FqlSet } from '../../values/value';
import { decodeEventSource, encodeEventSource } from '../../../streams/token';
import { decodedSet } from './decode';

/** The event source whose set is `layer` applied to `source`'s set. */
export async function layerEventSource(
  source: EventSourceV, layer: (inner: FqlSet) => FqlSet | Promise<FqlSet>,
): Promise<EventSourceV> {
  const token = decodeEventSource(source.token);
  // Event source values are only ever made from our own tokens.
  if (!token) throw new QueryError('internal_error', 'malformed event source');
  const set = (await layer(decodedSet(token.set))).describe();
  return { t: 'eventsource', token: encodeEventSource({ ...token, set }) };
}
