// The `Token` collection (core Tokens.scala): `Token.create({ document, ttl?, data? })` returns
// the token with its `secret`, shown this once; `Token.byDocument(doc)` is the set of a
// document's tokens; deleting a token (logout) invalidates its secret at once.
import type { EvalContext } from '../../fql/eval/context';
import type { MethodDef } from '../../fql/stdlib/registry';
import { obj, typeName } from '../../fql/values/construct';
import type { DocV, FqlSet, ObjectV, SetElement, SetPosition, Value } from '../../fql/values/value';
import { argTypeError, modelOf } from '../stdlib/args';
import type { SetDecoder } from '../model-txn';
import { createDocument, type WriteShaper } from '../write-broker';
import { issueSecret, keepSecret, registerSecret } from './secret-docs';
import { bindToken, unbind } from './secret-bindings';
import { checkFields, defineSystemCollectionModule, rewrittenSecretFields } from './system-modules';
import { nativeWriteFailure } from '../write-failures';
import { HASHED_SECRET, SYSTEM_COLLECTIONS, TOKEN_COLL } from './system';

const TOKEN_FIELDS: ReadonlySet<string> = new Set(['document', 'ttl', 'data']);

/** Create a token for `fields.document` (also the second half of `credential.login`). */
export async function createToken(ctx: EvalContext, data: ObjectV): Promise<DocV> {
  const fail = (p: string, m: string) => nativeWriteFailure('create', TOKEN_COLL.name, p, m);
  checkFields(data.v, TOKEN_FIELDS, fail);
  const document = data.v.get('document');
  if (!document) throw fail('document', 'Missing required field of type Ref<Any>');
  if (document.t !== 'doc' && document.t !== 'nulldoc') throw fail('document', `Expected Ref<Any>, provided ${typeName(document)}`);
  if (SYSTEM_COLLECTIONS.has(document.coll)) throw fail('document', 'Expected document from a user-defined collection.');
  const issued = issueSecret();
  const fields = new Map(data.v);
  fields.set(HASHED_SECRET, { t: 'string', v: issued.digest });
  const ref = await createDocument(ctx, TOKEN_COLL, obj(fields));
  registerSecret(ctx, 'Token', ref.id, issued);
  return ref;
}

/** The tokens whose `document` is a given document, in token id order. */
class TokensOfDocumentSet implements FqlSet {
  readonly label: string;
  constructor(readonly doc: DocV) {
    this.label = `Token.byDocument(${doc.coll}(${doc.id}))`;
  }

  async *iterate(ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    const model = modelOf(ctx as EvalContext);
    let from = after === undefined ? undefined : BigInt(after as string);
    for (;;) {
      const { docs, lastId, more } = await model.scanDocs(TOKEN_COLL, from, 256);
      for (const d of docs) {
        const owner = d.data.get('document');
        if (owner?.t === 'doc' && owner.coll === this.doc.coll && owner.id === this.doc.id) {
          yield { value: { t: 'doc', coll: TOKEN_COLL.name, id: d.id }, pos: d.id };
        }
      }
      if (!more || lastId === undefined) return;
      from = lastId;
    }
  }

  describe(): unknown {
    return { kind: 'tokensOfDocument', coll: this.doc.coll, id: this.doc.id };
  }
}

/** Decodes a `tokensOfDocument` set description (a cursor's set). */
export const decodeTokensOfDocument: SetDecoder = async (_txn, d) =>
  new TokensOfDocumentSet({ t: 'doc', coll: String(d.coll), id: String(d.id) });

const TOKEN_MODULE_METHODS: Record<string, MethodDef> = {
  byDocument: {
    arity: 1,
    impl: (_ctx, _self, [doc]): Value => {
      // Core's `tt.AnyDoc` parameter: ValueType.AnyDocType displays as `Doc` (Tokens.scala).
      if (doc.t !== 'doc') throw argTypeError('document', 'Doc', doc);
      return { t: 'set', set: new TokensOfDocumentSet(doc) };
    },
  },
};

/** Shapes every Token write: keeps the secret's hash, binds the token to its identity. */
export const shapeTokenWrite: WriteShaper = async (ctx, w) => {
  const shaped = keepSecret(ctx, w);
  rewrittenSecretFields(shaped, TOKEN_COLL.name, TOKEN_FIELDS);
  // Bind the token to its identity's collection as it is now (secret-bindings.ts).
  if (shaped.after) await bindToken(ctx, w.id, shaped.after.data);
  else unbind(ctx, 'Token', w.id);
  return shaped;
};

/** Registers the `Token` module (called by src/model/identity/index.ts). */
export function wireTokens(): void {
  defineSystemCollectionModule(TOKEN_COLL, createToken, TOKEN_MODULE_METHODS);
}
