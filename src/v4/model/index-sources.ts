// The `source` of a v4 index (core Index.scala `SourceFieldType`, RefValidator): what may be
// indexed, and the validation failures core reports for what may not (RenderError
// `encodeErrors`).
import { type Position, type ValidationFailure, invalidArgument, invalidRef, validationFailed, valueRequired } from '../errors';
import type { V4Query } from '../query-context';
import { type RefV4, type V4Value, NULL4, isNativeCollectionRef, nativeCollOf, typeName4 } from '../values';

/** Core's name (IRType) of a source value's type, in `invalid type` failures. */
const IR_TYPE_NAMES: Partial<Record<V4Value['t'], string>> = {
  long: 'Long', double: 'Double', string: 'String', boolean: 'Boolean', null: 'Null', ref: 'Ref', array: 'Array',
  object: 'Map', time: 'Time', date: 'Date', bytes: 'Bytes', uuid: 'UUID', lambda: 'Query',
};
const irTypeName = (v: V4Value): string => IR_TYPE_NAMES[v.t] ?? typeName4(v);

const sourceFailure = (code: string, description: string): ValidationFailure => ({ field: ['source'], code, description });

/**
 * The collections a `source` names (core Index.scala `SourceFieldType`): a Collection ref, a
 * native collection (`Ref("collections")`, `Indexes()`, `Keys()`, ...) but `Databases()`, `_`
 * (every user collection), an object `{collection, fields}` whose fields are bindings
 * (`Query(Lambda)`), or an array of these. Refused sources are validation failures, as core
 * reports them (RenderError `encodeErrors`).
 */
export async function checkSource(q: V4Query, source: V4Value, pos: Position): Promise<void> {
  const parts = source.t === 'array' ? source.v : [source];
  const refuse = (f: ValidationFailure): never => { throw validationFailed(pos, [f]); };
  if (parts.length === 0) refuse(valueRequired(['source']));
  for (const part of parts) {
    const coll = part.t === 'object' ? part.v.get('collection') ?? NULL4 : part;
    const fields = part.t === 'object' ? part.v.get('fields') : undefined;
    for (const [, f] of fields?.t === 'object' ? fields.v : []) if (f.t !== 'lambda') throw invalidArgument(['Query'], f, pos);
    if (coll.t === 'string' && coll.v === '_') continue;
    if (coll.t !== 'ref') refuse(sourceFailure('invalid type', `Invalid type ${irTypeName(coll)}, expected type SourceClass.`));
    const ref = coll as RefV4;
    // core RefValidator: refs into another database may not be stored.
    if (ref.db) refuse(sourceFailure('invalid reference', 'Reference cannot be scoped.'));
    if (isNativeCollectionRef(ref)) {
      // Indexes over databases are refused (core: "Disallow sources over the `Database` collection").
      if (ref.id === 'databases') refuse(sourceFailure('invalid reference', 'Cannot read reference.'));
      continue;
    }
    if (nativeCollOf(ref) !== 'collections') refuse(sourceFailure('invalid type', 'Invalid type Ref, expected type SourceClass.'));
    if (!(await q.model.collection(ref.id))) throw invalidRef('collection', ref.id, pos);
  }
}
