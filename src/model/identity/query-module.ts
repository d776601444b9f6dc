// `Query.identity()` and `Query.token()` (core Query.scala): the caller's identity document and
// token; a key (or root) has neither, which reads as a null that explains itself. A JWT has no
// identity document; its token is its payload (core Query.scala `JWTLogin` → `toValue(payload)`).
import { noSuchElement } from '../../fql/eval/nulls';
import { defineMethods, defineModule, type MethodDef } from '../../fql/stdlib/registry';
import { principalOf } from './auth-state';

const QUERY_MODULE_METHODS: Record<string, MethodDef> = {
  identity: { arity: 0, impl: (ctx) => principalOf(ctx)?.identity ?? noSuchElement('missing identity') },
  token: { arity: 0, impl: (ctx) => { const p = principalOf(ctx); return p?.token ?? p?.jwt?.claims ?? noSuchElement('no token'); } },
};

/** Registers the `Query` module with `identity` and `token` (called by src/model/identity/index.ts). */
export function wireQueryModule(): void {
  defineModule('Query');
  defineMethods('module:Query', QUERY_MODULE_METHODS);
}
