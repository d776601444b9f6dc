// Index methods: terms, ranges over covered values (single values and tuples `(a, b)`), nulls
// and descending order, ids as values, objects and arrays as values, MVA terms, and
// `Coll.all({ from, to })` (core FQL2IndexSpec.scala, CollectionIndexMethod.collectRange).
import type { ConformanceArea, ConformanceCase } from '../case';

const IDX = 'FQL2IndexSpec.scala';
const NO_TC = { 'x-typecheck': 'false' };
const ids = (q: string, result: string[], source = IDX, name = q): ConformanceCase => ({ name, query: `${q}.toArray().map(.id)`, result, source });

export const area: ConformanceArea = {
  area: 'indexes',
  setup: [
    'Collection.create({ name: "Products", indexes: { byPrice: { terms: [{ field: "category" }], values: [{ field: "price" }, { field: "count" }] } } })',
    'Collection.create({ name: "ProductsDesc", indexes: { byPrice: { terms: [{ field: "category" }], values: [{ field: "price", order: "desc" }, { field: "count", order: "desc" }] } } })',
    ...['Products', 'ProductsDesc'].map((c) => `${c}.create({ id: 1, category: "sports" })
${c}.create({ id: 2, category: "sports", price: 1000 })
${c}.create({ id: 3, category: "sports", count: 200 })
${c}.create({ id: 4, category: "sports", price: 300, count: 300 })`),
    'Collection.create({ name: "Person", indexes: { byID2: { values: [{ field: "id" }] }, byIDDesc: { values: [{ field: "id", order: "desc" }] }, byIDAnd: { values: [{ field: "id" }, { field: "name" }] }, byID1: { values: [{ field: "id" }, { field: "id" }] }, byName: { terms: [{ field: "name" }] }, byA: { terms: [{ field: "a" }], values: [{ field: "b" }] } } })',
    'Person.create({ id: "123", name: "John" })\nPerson.create({ id: "456", name: "Alice" })',
    'Person.create({ id: "7", a: "indexMe!" })\nPerson.create({ id: "8", b: "non indexed doc" })',
    'Collection.create({ name: "NoMva", indexes: { noMva: { terms: [{ field: "a" }], values: [{ field: "b" }] } } })',
    'NoMva.create({ id: 1, a: "obj", b: { x: 1, y: 1 } })\nNoMva.create({ id: 2, a: "obj", b: { y: 2, x: 2 } })\nNoMva.create({ id: 3, a: "obj", b: { x: 3, y: 3 } })\nNoMva.create({ id: 4, a: "obj", b: { y: 4, x: 4 } })',
    'NoMva.create({ id: 5, a: { x: 1, y: 1 }, b: 1 })\nNoMva.create({ id: 6, a: { y: 1, x: 1 }, b: 2 })',
    'NoMva.create({ id: 11, a: "arr", b: [1, 2] })\nNoMva.create({ id: 12, a: "arr", b: [3, 4] })\nNoMva.create({ id: 13, a: "arr", b: [5, 6] })\nNoMva.create({ id: 14, a: "arr", b: [7, 8] })',
    'NoMva.create({ id: 15, a: [1, 2], b: 1 })\nNoMva.create({ id: 16, a: [1, 2], b: 2 })',
    'Collection.create({ name: "Mva", indexes: { mva: { terms: [{ field: "a", mva: true }] }, byTerms: { terms: [{ field: "nameMva", mva: true }, { field: "name" }] } } })',
    'Mva.create({ id: 1, a: [1, 2] })\nMva.create({ id: 2, name: "basketball", nameMva: ["soccer", "tennis"] })',
    'Collection.create({ name: "R" })\n[1, 2, 3, 4, 5].forEach(i => R.create({ id: i }))',
  ],
  cases: [
    // Ascending values with nulls (null sorts last; a null bound reaches only nulls).
    ids('Products.byPrice("sports", { from: 100 })', ['4', '2', '3', '1']),
    ids('Products.byPrice("sports", { from: (100, 100) })', ['4', '2', '3', '1']),
    ids('Products.byPrice("sports", { from: null })', ['3', '1']),
    ids('Products.byPrice("sports", { from: (null, null) })', ['1']),
    ids('Products.byPrice("sports", { to: 1000 })', ['4', '2']),
    ids('Products.byPrice("sports", { to: (1000, 1000) })', ['4']),
    ids('Products.byPrice("sports", { to: null })', ['4', '2', '3', '1']),
    ids('Products.byPrice("sports", { to: (null, null) })', ['4', '2', '3', '1']),
    ids('Products.byPrice("sports", { from: [100, 100] })', ['4', '2', '3', '1'], `${IDX} (arrays work like tuples)`),
    ids('Products.byPrice("sports", { to: [1000, 1000] })', ['4'], `${IDX} (arrays work like tuples)`),
    ids('Products.byPrice("sports")', ['4', '2', '3', '1']),
    ids('Products.byPrice("sports", { from: 300, to: 1000 })', ['4', '2']),
    ids('Products.byPrice("other")', []),
    // Descending values: nulls first.
    ids('ProductsDesc.byPrice("sports", { to: 100 })', ['1', '3', '2', '4']),
    ids('ProductsDesc.byPrice("sports", { to: (100, 100) })', ['1', '3', '2', '4']),
    ids('ProductsDesc.byPrice("sports", { to: null })', ['1', '3']),
    ids('ProductsDesc.byPrice("sports", { to: (null, null) })', ['1']),
    ids('ProductsDesc.byPrice("sports", { from: 1000 })', ['2', '4']),
    ids('ProductsDesc.byPrice("sports", { from: (1000, 1000) })', ['4']),
    ids('ProductsDesc.byPrice("sports", { from: null })', ['1', '3', '2', '4']),
    ids('ProductsDesc.byPrice("sports", { from: (null, null) })', ['1', '3', '2', '4']),
    ids('ProductsDesc.byPrice("sports")', ['1', '3', '2', '4']),
    // ids as covered values.
    ids('Person.byID2()', ['123', '456', '7', '8'].sort((a, b) => Number(a) - Number(b))),
    ids('Person.byID2({ from: "124" })', ['456']),
    ids('Person.byID2({ from: 124 })', ['456']),
    ids('Person.byID2({ from: ID("124") })', ['456']),
    ids('Person.byIDDesc({ from: "a" })', ['456', '123', '8', '7']),
    ids('Person.byIDDesc({ from: null })', []),
    ids('Person.byIDAnd({ from: ["a"] })', []),
    ids('Person.byIDAnd({ from: [null] })', ['7', '8', '123', '456']),
    ids('Person.byID2({ from: "a" })', []),
    ids('Person.byID2({ from: null })', ['7', '8', '123', '456']),
    ids('Person.byID1({ from: ID("124") })', ['456']),
    // Terms.
    ids('Person.byName("John")', ['123']),
    ids('Person.byName("Nobody")', []),
    ids('Person.byA("indexMe!")', ['7'], `${IDX} (documents without covered values are still indexed)`),
    // Objects and arrays as values and terms (non-MVA).
    ids('NoMva.noMva("obj")', ['1', '2', '3', '4'], `${IDX} (indexes support indexing objects)`),
    ids('NoMva.noMva("obj", { from: { x: 2, y: 2 }, to: { y: 3, x: 3 } })', ['2', '3'], `${IDX} (indexes support indexing objects)`),
    ids('NoMva.noMva("obj", { from: { x: 2 }, to: { x: 4 } })', ['2', '3'], `${IDX} (indexes support indexing objects)`),
    ids('NoMva.noMva({ y: 1, x: 1 })', ['5', '6'], `${IDX} (indexes support indexing objects)`),
    ids('NoMva.noMva({ x: 1, y: 1 })', ['5', '6'], `${IDX} (indexes support indexing objects)`),
    ids('NoMva.noMva("arr")', ['11', '12', '13', '14'], `${IDX} (indexes support indexing arrays)`),
    ids('NoMva.noMva("arr", { from: [3, 4], to: [5, 6] })', ['12', '13'], `${IDX} (indexes support indexing arrays)`),
    ids('NoMva.noMva("arr", { from: [3], to: [5] })', ['12', '13'], `${IDX} (indexes support indexing arrays)`),
    ids('NoMva.noMva([1, 2])', ['15', '16'], `${IDX} (indexes support indexing arrays)`),
    // MVA.
    ids('Mva.mva(1)', ['1'], `${IDX} (indexes can MVA arrays)`),
    ids('Mva.mva(2)', ['1'], `${IDX} (indexes can MVA arrays)`),
    ids('Mva.mva(3)', [], `${IDX} (indexes can MVA arrays)`),
    ids('Mva.byTerms("soccer", "basketball")', ['2'], `${IDX} (MVA terms are discarded from partials)`),
    ids('Mva.byTerms("tennis", "basketball")', ['2'], `${IDX} (MVA terms)`),
    { name: 'MVA terms are not in the covered data', query: 'Mva.byTerms("soccer", "basketball").map(.name).first()', result: 'basketball', source: `${IDX} (MVA terms are discarded from partials)` },
    // Arity and argument errors.
    { name: 'an index with terms needs them', query: 'Person.byName()', error: { code: 'invalid_function_invocation', message: 'callee function expects 1 or 2 arguments, but 0 were provided.' }, source: 'NativeFunction.scala (InvalidFuncArity)' },
    { name: 'too many index arguments', query: 'Person.byName("a", {}, 3)', error: { code: 'invalid_function_invocation', message: 'callee function expects 1 or 2 arguments, but 3 were provided.' }, source: 'NativeFunction.scala (InvalidFuncArity)' },
    { name: 'an empty range', query: 'Products.byPrice("sports", {})', error: { code: 'invalid_argument', message: 'invalid argument `range`: should be an object contining `{ from }`, `{ to }`, or `{ from, to }` fields' }, source: 'CollectionIndexMethod.scala (collectRange)' },
    // Core converts each bound with Value.toIR, which refuses what cannot be persisted (a module).
    ...([['from: Collection', 'from'], ['from: 1234, to: Collection', 'to'], ['from: [1, Collection]', 'from']] as const).map(([range, field]) => ({
      name: `a range bound that cannot be persisted: { ${range} }`, query: `Products.byPrice("sports", { ${range} })`, headers: NO_TC,
      error: { code: 'invalid_argument', message: `invalid argument \`range\`: The \`${field}\` field should be either an indexable value or an array of values` },
      source: 'FQL2SetsSpec.scala (ranges / fail to parse non-persistable range bound)',
    })),
    {
      name: 'a lookup term that cannot be persisted', query: 'Person.byName(Collection)', headers: NO_TC,
      error: { code: 'invalid_argument', message: 'invalid argument `term1`: Argument cannot be used as lookup term' }, source: 'CollectionIndexMethod.scala (valueSet: Value.toIR of the terms)',
    },
    { name: 'a range with too many values', query: 'Products.byPrice("sports", { from: (1, 2, 3) })', error: { code: 'invalid_argument', message: 'invalid argument `range`: The field `from` can have at most 2 values' }, source: 'CollectionIndexMethod.scala (collectRange)' },
    { name: 'an unknown index method', query: 'Products.byNothing("x")', error: { code: 'invalid_function_invocation', message: 'The function `byNothing` does not exist on `Products`' }, source: 'QueryFailure.scala (FunctionDoesNotExist)' },
    // Tuples.
    { name: 'a tuple is an array', query: '(1, "a")', result: [1, 'a'], source: `${IDX} (tuple bounds)` },
    { name: 'nested tuples', query: '((1, 2), 3)', result: [[1, 2], 3], source: `${IDX} (tuple bounds)` },
    { name: 'parentheses alone group', query: '(1 + 2) * 3', result: 9, source: 'Parser.scala' },
    // Coll.all({ from, to }): document id ranges.
    ids('R.all({ from: 2, to: 4 })', ['2', '3', '4'], 'Collections.scala (all with range: collectRange over ids)'),
    ids('R.all({ from: R.byId(3) })', ['3', '4', '5'], 'Collections.scala (all with range)'),
    ids('R.all({ to: "2" })', ['1', '2'], 'Collections.scala (all with range)'),
    ids('R.all({ from: 2, to: 4 }).reverse()', ['4', '3', '2'], 'Collections.scala (all with range)'),
    ids('R.all({ from: 6 })', [], 'Collections.scala (all with range)'),
    { name: 'all() range pages resume inside the range', query: 'R.all({ from: 2, to: 4 }).pageSize(2).paginate().data.map(.id)', result: ['2', '3'], source: 'Collections.scala (all with range)' },
    { name: 'all() with an empty range', query: 'R.all({})', error: { code: 'invalid_argument', message: 'invalid argument `range`: should be an object contining `{ from }`, `{ to }`, or `{ from, to }` fields' }, source: 'CollectionIndexMethod.scala (collectRange)' },
    { name: 'all() with a non-id bound', query: 'R.all({ from: "x" })', error: { code: 'invalid_argument', message: 'invalid argument `range`: The `from` field must be a document id.' }, source: 'CollectionIndexMethod.scala (collectRange)' },
    { name: 'all() takes at most one argument', query: 'R.all({ from: 1 }, 2)', error: { code: 'invalid_function_invocation' }, source: 'NativeFunction.scala (InvalidFuncArity)' },
  ],
};
