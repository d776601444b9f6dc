// `Query.isEnvTypechecked()` and `Query.isEnvProtected()` (core FQL2QuerySpec): the `typechecked`
// and `protected` settings of the database the query runs in, inherited from the nearest
// ancestor that sets them (database-settings.ts). Only an admin may ask whether the environment
// is protected.
import { bool } from '../../fql/values/construct';
import { defineMethods, type MethodDef } from '../../fql/stdlib/registry';
import { isBuiltin } from '../../auth/principal';
import { modelOf } from '../stdlib/args';
import { principalOf } from './auth-state';
import { inheritedSetting } from './database-settings';
import { permissionDenied } from './permissions';

const ENVIRONMENT_METHODS: Record<string, MethodDef> = {
  isEnvTypechecked: {
    arity: 0,
    impl: async (ctx) => bool(await inheritedSetting(modelOf(ctx).kv, modelOf(ctx).db, 'typechecked')),
  },
  isEnvProtected: {
    arity: 0,
    impl: async (ctx) => {
      const principal = principalOf(ctx);
      if (principal && !isBuiltin(principal, 'admin')) throw permissionDenied();
      return bool(await inheritedSetting(modelOf(ctx).kv, modelOf(ctx).db, 'protected'));
    },
  },
};

/** Registers `Query.isEnvTypechecked` and `Query.isEnvProtected` (called by src/model/identity/index.ts). */
export function wireEnvironment(): void {
  defineMethods('module:Query', ENVIRONMENT_METHODS);
}
