// Installs every family of v4 forms: each file exports the function that registers its forms with
// the evaluator (src/v4/evaluator.ts `defineForms`); this is the one place that calls them, from
// the runtime's composition root (src/exec/wiring.ts).
//
// Why this order (it is the order the files registered themselves in when loaded by their
// imports: documents.ts ran first, imported by basic.ts, and sets.ts before collections.ts, which
// imports it): forms that share a first key are tried in the order registered. `get`, `exists`
// and `paginate` are documents.ts's first, then history.ts's (`Get(ref, ts)`, ...).
import { wireBasicForms } from './basic';
import { wireRefForms } from './refs';
import { wireDocumentForms } from './documents';
import { wireIdentityForms } from './identity';
import { wireTimeForms } from './time';
import { wireStringForms } from './strings';
import { wireMathForms } from './math';
import { wireTypeForms } from './types';
import { wireCollectionForms } from './collections';
import { wireSetForms } from './sets';
import { wireFunctionForms } from './functions';
import { wireAccessProviderForms } from './access-providers';
import { wireHistoryForms } from './history';

let wired = false;

/** Registers every v4 form, once per process: later calls do nothing. */
export function wireV4Forms(): void {
  if (wired) return;
  wired = true;

  wireDocumentForms();
  wireBasicForms();
  wireRefForms();
  wireIdentityForms();
  wireTimeForms();
  wireStringForms();
  wireMathForms();
  wireTypeForms();
  wireSetForms();
  wireCollectionForms();
  wireFunctionForms();
  wireAccessProviderForms();
  wireHistoryForms();
}
