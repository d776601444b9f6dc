// Time functions (core TimeFunctions.scala): Now/Time("now") are the transaction time;
// TimeAdd/TimeSubtract take core's MidstUnit names (`hours`, `half day`, ...).
import { parseDate, parseTime } from '../../fql/values/format';
import { parseTimeUnit } from '../../fql/stdlib/time';
import { type Position, V4Error, invalidArgument } from '../errors';
import { type FormArgs, defineForms } from '../evaluator';
import type { V4Query } from '../query-context';
import type { V4Value } from '../values';
import { expectInteger, expectString } from './args';

const NS_PER_DAY = 86_400_000_000_000n;
const now = (q: V4Query): V4Value => ({ t: 'time', ns: q.model.txnTs * 1000n });

function unitNs(v: V4Value, pos: Position): { ns: bigint; dateBased: boolean } {
  const name = expectString(v, pos);
  const unit = parseTimeUnit(name);
  if (!unit) throw new V4Error('invalid argument', `Invalid time unit '${name}'.`, pos);
  return unit;
}

async function shift(a: FormArgs, key: 'time_add' | 'time_subtract'): Promise<V4Value> {
  const base = await a.value(key);
  const offset = expectInteger(await a.value('offset'), a.at('offset'));
  const unit = unitNs(await a.value('unit'), a.at('unit'));
  const delta = (key === 'time_add' ? 1n : -1n) * offset * unit.ns;
  if (base.t === 'time') return { t: 'time', ns: base.ns + delta };
  if (base.t === 'date') {
    if (!unit.dateBased) throw new V4Error('invalid argument', 'Incompatible time arguments.', a.pos);
    return { t: 'date', days: base.days + Number(delta / NS_PER_DAY) };
  }
  throw invalidArgument(['Time or Date'], base, a.at(key));
}

defineForms([
  { keys: ['now'], run: async (ev) => now(ev.q) },
  {
    keys: ['time'],
    run: async (ev, a) => {
      const s = expectString(await a.value('time'), a.at('time'));
      if (s === 'now') return now(ev.q);
      const ns = parseTime(s);
      if (ns === undefined) throw new V4Error('invalid argument', `Cannot cast '${s}' to a time.`, a.pos);
      return { t: 'time', ns };
    },
  },
  {
    keys: ['date'],
    run: async (_ev, a) => {
      const s = expectString(await a.value('date'), a.at('date'));
      const days = parseDate(s);
      if (days === undefined) throw new V4Error('invalid argument', `Cannot cast '${s}' to a date.`, a.pos);
      return { t: 'date', days };
    },
  },
  { keys: ['time_add', 'offset', 'unit'], run: (_ev, a) => shift(a, 'time_add') },
  { keys: ['time_subtract', 'offset', 'unit'], run: (_ev, a) => shift(a, 'time_subtract') },
]);
