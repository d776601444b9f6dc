// Methods of documents: update (deep merge), replace, delete, exists.
import { FALSE, TRUE } from '../../fql/values/construct';
import { defineMethods } from '../../fql/stdlib/registry';
import type { DocV } from '../../fql/values/value';
import { deleteDocument, rewriteDocument } from '../write-broker';
import { atArguments, expectObject, modelOf } from './args';

defineMethods('doc', {
  update: { arity: 1, impl: (ctx, self, [data], site) => atArguments(site, () => rewriteDocument(ctx, self as DocV, expectObject(data, 'data'), 'update')) },
  replace: { arity: 1, impl: (ctx, self, [data], site) => atArguments(site, () => rewriteDocument(ctx, self as DocV, expectObject(data, 'data'), 'replace')) },
  delete: { arity: 0, impl: (ctx, self) => deleteDocument(ctx, self as DocV) },
  exists: {
    arity: 0,
    impl: async (ctx, self) => {
      ctx.stats.readOps += 1;
      // Through readDoc, so that a document the caller may not read does not exist for it
      // (and `at()` snapshots apply).
      return 'cause' in (await modelOf(ctx).readDoc(self as DocV)) ? FALSE : TRUE;
    },
  },
});

defineMethods('nulldoc', {
  exists: { arity: 0, impl: () => FALSE },
});
