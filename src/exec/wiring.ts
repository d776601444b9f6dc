// The runtime's composition root: installs every part that extends the evaluators and the model,
// once per process, before any query runs. Nothing registers itself when its module loads; the
// layers export their wiring and this calls it. Called by `createQueryHandlers` (each query worker,
// or the server's main thread without workers), by src/main.ts for the expiry sweeper on the
// main thread, and by tests that build a query service without the handlers.
//
// What each layer installs (see each one's header for the order inside it):
// - wireIdentity (src/model/identity/index.ts): the system collections and the Key, Token,
//   Credential, Function, Role, AccessProvider, Database and Query modules.
// - wireStdlib (src/fql/stdlib/index.ts): FQL v10's standard library.
// - wireModelStdlib (src/model/stdlib/index.ts): Collection, user collections, documents, event
//   sources.
// - wireV4Forms (src/v4/forms/index.ts): FQL v4's forms.
// - wireModel (src/model/wiring.ts): the model's hooks (guards, write hooks, set decoders, ...).
//
// Why this order: it is the order the layers registered in when their modules registered
// themselves on load (identity's first: the query runtime imports it, through attempt.ts, before
// the standard library), so each dispatch key gets its members in the same order as before: the
// standard library's `set` and `eventsource` members before the event sources'
// (wireModelStdlib), `Query.identity`/`token` before `Query.isEnv*`. One module ran out of its
// layer's turn then: companions.ts (`ID`, `Doc`, ..., the `Credentials` alias) was loaded by
// identity's first modules; it shares no key with identity, and these registries are only ever
// looked up by key, so registering it with the rest of the standard library changes nothing.
import { wireStdlib } from '../fql/stdlib/index';
import { wireIdentity } from '../model/identity/index';
import { wireModelStdlib } from '../model/stdlib/index';
import { wireModel } from '../model/wiring';
import { wireV4Forms } from '../v4/forms/index';

let wired = false;

/** Installs the whole runtime, once per process: later calls do nothing. */
export function wireRuntime(): void {
  if (wired) return;
  wired = true;

  wireIdentity();
  wireStdlib();
  wireModelStdlib();
  wireV4Forms();
  wireModel();
}
