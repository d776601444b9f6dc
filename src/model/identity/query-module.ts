// `Query.identity()` and `Query.token()` (core Query.scala): the caller's identity document and
// token; a key (or root) has neither, which reads as a null that explains itself. A JWT has no
// identity document; its token is its payload (core Query.scala `JWTLogin` → `toValue(payload)`).
import { noSuchElement } from '../../fql/eval/nulls';
import { defineMethods, defineModule } from '../../fql/stdlib/registry';
import { principalOf } from './auth-state';

defineModule('Query');
defineMethods('module:Query', {
  identity: { arity: 0, impl: (ctx) => principalOf(ctx)?.identity ?? noSuchElement('missing identity') },
  token: { arity: 0, impl: (ctx) => { const p = principalOf(ctx); return p?.token ?? p?.jwt?.claims ?? noSuchElement('no token'); } },
});
