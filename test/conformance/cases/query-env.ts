// The `Query` module's environment facts (core FQL2QuerySpec.scala "isEnvTypechecked",
// "isEnvProtected", "isEnvProtected only works with admin key"): a database's `typechecked` and
// `protected` settings, inherited by children that do not set them.
import type { ConformanceArea, ConformanceCase } from '../case';

const SPEC = 'FQL2QuerySpec.scala';
const BOTH = '[Query.isEnvTypechecked(), Query.isEnvProtected()]';

/** `[isEnvTypechecked, isEnvProtected]` asked from inside `database`. */
const env = (database: string, result: [boolean, boolean], test: string): ConformanceCase =>
  ({ name: `${BOTH} in ${database}`, query: BOTH, database, result, source: `${SPEC} (${test})` });

export const area: ConformanceArea = {
  area: 'query-env',
  setup: [
    'Database.create({ name: "TypecheckEnabled", typechecked: true })\nDatabase.create({ name: "TypecheckDisabled", typechecked: false })',
    'Database.create({ name: "ProtectedEnabled", protected: true })\nDatabase.create({ name: "ProtectedDisabled", protected: false })',
  ],
  cases: [
    env('TypecheckEnabled', [true, false], 'isEnvTypechecked'),
    env('TypecheckDisabled', [false, false], 'isEnvTypechecked'),
    env('ProtectedEnabled', [false, true], 'isEnvProtected'),
    env('ProtectedDisabled', [false, false], 'isEnvProtected'),
    // Children created without the setting inherit their parent's.
    { name: 'a child of a typechecked database', query: 'Database.create({ name: "InheritTypecheckEnabled" }) { name }', database: 'TypecheckEnabled', result: { name: 'InheritTypecheckEnabled' }, source: SPEC },
    { name: 'a child of an untypechecked database', query: 'Database.create({ name: "InheritTypecheckDisabled" }) { name }', database: 'TypecheckDisabled', result: { name: 'InheritTypecheckDisabled' }, source: SPEC },
    { name: 'a child of a protected database', query: 'Database.create({ name: "InheritProtectedEnabled" }) { name }', database: 'ProtectedEnabled', result: { name: 'InheritProtectedEnabled' }, source: SPEC },
    { name: 'a child of an unprotected database', query: 'Database.create({ name: "InheritProtectedDisabled" }) { name }', database: 'ProtectedDisabled', result: { name: 'InheritProtectedDisabled' }, source: SPEC },
    env('TypecheckEnabled/InheritTypecheckEnabled', [true, false], 'isEnvTypechecked'),
    env('TypecheckDisabled/InheritTypecheckDisabled', [false, false], 'isEnvTypechecked'),
    env('ProtectedEnabled/InheritProtectedEnabled', [false, true], 'isEnvProtected'),
    env('ProtectedDisabled/InheritProtectedDisabled', [false, false], 'isEnvProtected'),
    {
      name: 'isEnvProtected needs an admin key', query: 'Query.isEnvProtected()', secret: 'server',
      error: {
        code: 'permission_denied', message: 'Insufficient privileges to perform the action.',
        summary: 'error: Insufficient privileges to perform the action.\nat *query*:1:21\n  |\n1 | Query.isEnvProtected()\n  |                     ^^\n  |',
      },
      source: `${SPEC} (isEnvProtected only works with admin key: span 20..22)`,
    },
    { name: 'isEnvProtected with an admin key', query: 'Query.isEnvProtected()', secret: 'admin', database: 'ProtectedEnabled', result: true, source: SPEC },
  ],
};
