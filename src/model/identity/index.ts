// Loads the identity layer: system collections, Function/Role/Database, Query.identity/token/isEnv*.
// Import once (run-query does) before queries run; its guards and write hooks are installed by
// src/model/wiring.ts.
import './system';
import './guards';
import './key-docs';
import './token-docs';
import './credential-docs';
import './functions';
import './roles';
import './access-providers';
import './databases';
import './query-module';
import './environment';

export { authenticate } from './authenticate';
export { grantJwtRoles } from './jwt-auth';
export { attachPrincipal, principalOf } from './auth-state';
