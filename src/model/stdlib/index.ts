// Installs the model-backed part of the standard library: the `Collection` module and user
// collections, documents, and event sources. Called by the runtime's composition root
// (src/exec/wiring.ts) after the standard library (src/fql/stdlib/index.ts), in the order these
// parts registered themselves when loaded by their imports: event sources add members to `set`
// and `eventsource`, after the standard library's.
import { wireCollections } from './collections';
import { wireDocuments } from './documents';
import { defineEventSourceMethods } from './event-sources';

let wired = false;

/** Registers the model's standard library, once per process: later calls do nothing. */
export function wireModelStdlib(): void {
  if (wired) return;
  wired = true;

  wireCollections();
  wireDocuments();
  defineEventSourceMethods();
}
