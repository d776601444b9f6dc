// `Query.isEnvTypechecked()` and `Query.isEnvProtected()` (core FQL2QuerySpec): the `typechecked`
// and `protected` settings of the database the query runs in, inherited from the nearest
// ancestor that sets them (database-settings.ts). Only an admin may ask whether the environment
// is protected.
import { bool } from '../../fql/values/construct';
import { defineMethods } from '../../fql/stdlib/registry';
import { isBuiltin } from '../../auth/principal';
import { modelOf } from '../stdlib/args';
import { principalOf } from './auth-state';
import { inheritedSetting } from './database-settings';
import { permissionDenied } from './permissions';

defineMethods('module:Query', {
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
});
