// The three response value formats behind one call: MValue → JSON text for `data` and
// `error.abort`.
import type { MValue } from './materialized';
import { encodeDecorated } from './encode-decorated';
import { encodeSimple } from './encode-simple';
import { encodeTagged } from './encode-tagged';

export type ValueFormat = 'simple' | 'tagged' | 'decorated';

export function encodeValueJson(format: ValueFormat, v: MValue): string {
  switch (format) {
    case 'tagged': return encodeTagged(v);
    case 'simple': return encodeSimple(v);
    case 'decorated': return JSON.stringify(encodeDecorated(v));
  }
}
