// The identity layer: system collections, Function/Role/Database/AccessProvider, Query.identity/
// token/isEnv*. `wireIdentity` registers them, called by the runtime's composition root
// (src/exec/wiring.ts); its guards and write hooks are installed by src/model/wiring.ts.
//
// The order is the one these modules registered themselves in when loaded by their imports.
// Only `Query`'s members are registered twice under one key (query-module.ts, then
// environment.ts); the rest touch keys of their own.
import { wireSystemCollections } from './system';
import { wireKeys } from './key-docs';
import { wireTokens } from './token-docs';
import { wireCredentials } from './credential-docs';
import { wireFunctions } from './functions';
import { wireRoles } from './roles';
import { wireAccessProviders } from './access-providers';
import { wireDatabases } from './databases';
import { wireQueryModule } from './query-module';
import { wireEnvironment } from './environment';

export { authenticate } from './authenticate';
export { grantJwtRoles } from './jwt-auth';
export { attachPrincipal, principalOf } from './auth-state';

let wired = false;

/** Registers the identity layer's modules and members, once per process: later calls do nothing. */
export function wireIdentity(): void {
  if (wired) return;
  wired = true;

  wireSystemCollections();
  wireKeys();
  wireTokens();
  wireCredentials();
  wireFunctions();
  wireRoles();
  wireAccessProviders();
  wireDatabases();
  wireQueryModule();
  wireEnvironment();
}
