// Literals and arithmetic: the smallest sanity area, and an example of the corpus format.
import type { ConformanceArea } from '../case';

export const area: ConformanceArea = {
  area: 'basics',
  cases: [
    { name: 'integer addition', query: '1 + 1', result: 2, source: 'FQL2ArithmeticSpec.scala' },
    { name: 'tagged long', query: '9223372036854775807', tagged: { '@long': '9223372036854775807' }, source: 'docs.fauna.com/fauna/current/reference/fql/types#long' },
    {
      name: 'abort carries its value', query: 'abort("no")',
      error: { code: 'abort', message: 'Query aborted.' }, source: 'QueryFailure.scala (Abort)',
    },
  ],
};
