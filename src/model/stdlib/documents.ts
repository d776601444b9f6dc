// Methods of documents: update (deep merge), replace, delete, exists, and on documents of
// user collections updateData/replaceData (every field is user data, core DataMode.PlainData).
import { FALSE, TRUE } from '../../fql/values/construct';
import { defineMethods, type MethodDef } from '../../fql/stdlib/registry';
import type { DocV } from '../../fql/values/value';
import { functionDoesNotExist } from '../../fql/eval/failures';
import { deleteDocument, rewriteDocument } from '../write-broker';
import { isUserDocument } from '../doc-fields';
import { atArguments, expectObject, modelOf } from './args';

/** `updateData`/`replaceData`: keys, tokens and credentials do not have them. */
function plainRewrite(name: string, action: 'update' | 'replace'): MethodDef {
  return {
    arity: 1,
    impl: (ctx, self, [data]) => {
      if (!isUserDocument((self as DocV).coll)) throw functionDoesNotExist(name, self);
      return rewriteDocument(ctx, self as DocV, expectObject(data, 'data'), action, 'data');
    },
  };
}

const DOCUMENT_METHODS: Record<string, MethodDef> = {
  update: { arity: 1, impl: (ctx, self, [data], site) => atArguments(site, () => rewriteDocument(ctx, self as DocV, expectObject(data, 'data'), 'update')) },
  replace: { arity: 1, impl: (ctx, self, [data], site) => atArguments(site, () => rewriteDocument(ctx, self as DocV, expectObject(data, 'data'), 'replace')) },
  updateData: plainRewrite('updateData', 'update'),
  replaceData: plainRewrite('replaceData', 'replace'),
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
};

const NULL_DOCUMENT_METHODS: Record<string, MethodDef> = {
  exists: { arity: 0, impl: () => FALSE },
};

/** Registers the members of documents and null documents (called by src/model/stdlib/index.ts). */
export function wireDocuments(): void {
  defineMethods('doc', DOCUMENT_METHODS);
  defineMethods('nulldoc', NULL_DOCUMENT_METHODS);
}
