// Methods of documents: update (deep merge), replace, delete, exists.
import { FALSE, TRUE } from '../../fql/values/construct';
import { defineMethods } from '../../fql/stdlib/registry';
import type { DocV } from '../../fql/values/value';
import { deleteDocument, rewriteDocument } from '../write-broker';
import { expectObject, modelOf } from './args';

defineMethods('doc', {
  update: { arity: 1, impl: (ctx, self, [data]) => rewriteDocument(ctx, self as DocV, expectObject(data, 'data'), 'update') },
  replace: { arity: 1, impl: (ctx, self, [data]) => rewriteDocument(ctx, self as DocV, expectObject(data, 'data'), 'replace') },
  delete: { arity: 0, impl: (ctx, self) => deleteDocument(ctx, self as DocV) },
  exists: {
    arity: 0,
    impl: async (ctx, self) => {
      const ref = self as DocV;
      ctx.stats.readOps += 1;
      return (await modelOf(ctx).getDoc(ref.coll, ref.id)) ? TRUE : FALSE;
    },
  },
});

defineMethods('nulldoc', {
  exists: { arity: 0, impl: () => FALSE },
});
