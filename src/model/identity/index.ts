// Loads the identity layer: system collections, Function/Role/Database, Query.identity/token/isEnv*,
// permission guards and hooks. Import once (run-query does) before queries run.
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
