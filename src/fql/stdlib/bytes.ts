// `Bytes` values and the `Bytes` module (core Bytes.scala): standard, padded base64 text.
import { str } from '../values/construct';
import { formatBytes } from '../values/format';
import type { BytesV, Value } from '../values/value';
import { defineApply, defineMethods, defineModule } from './registry';
import { STRING, invalidArgument, method, param, sig } from './native-args';

const BASE64_CHARS = /^[A-Za-z0-9+/]*$/;

/**
 * java.util.Base64's basic decoder: standard alphabet; padding optional but, when present,
 * exact. Checked without a repeated group, which overflows the regex stack on long inputs.
 */
function isBase64(s: string): boolean {
  let end = s.length;
  let pad = 0;
  while (pad < 2 && end > 0 && s[end - 1] === '=') { end--; pad++; }
  if (!BASE64_CHARS.test(s.slice(0, end))) return false;
  const rem = end % 4;
  return rem !== 1 && (pad === 0 || (rem === 2 && pad === 2) || (rem === 3 && pad === 1));
}

export function bytesFromBase64(encoded: string): BytesV {
  if (!isBase64(encoded)) throw invalidArgument('encoded', 'invalid base64 string');
  return { t: 'bytes', v: new Uint8Array(Buffer.from(encoded, 'base64')) };
}

const asBytes = (v: Value): BytesV => v as BytesV;
const base64 = method(sig([], (_ctx, self) => str(formatBytes(asBytes(self).v))));

const FROM_BASE64 = method(sig([param('encoded', STRING)], (_ctx, _self, [s]) => bytesFromBase64(s)));

/** Registers the members of bytes and the `Bytes` module (called by src/fql/stdlib/index.ts). */
export function wireBytes(): void {
  defineMethods('bytes', { toBase64: base64, toString: base64 });
  defineModule('Bytes');
  defineApply('Bytes', FROM_BASE64);
  defineMethods('module:Bytes', { fromBase64: FROM_BASE64 });
}
