// Access providers (core QueryParser: `create_access_provider`, `access_provider` with an optional
// `scope`, and the `access_providers` native collection in refs.ts). Get/Update/Replace/Delete
// and Paginate(AccessProviders()) go through the shared document forms.
import { type FormSpec, defineForms } from '../evaluator';
import { createSchema, paramsObject } from '../model/writes';
import { schemaRef } from '../values';
import { expectString } from './args';
import { databaseScope } from './refs';

export const ACCESS_PROVIDER_FORMS: readonly FormSpec[] = [
  {
    keys: ['create_access_provider'], writes: true,
    run: async (ev, a) => createSchema(ev.q, 'AccessProvider',
      paramsObject(await a.value('create_access_provider'), a.at('create_access_provider')), a.at('create_access_provider')),
  },
  {
    keys: ['access_provider'], optional: ['scope'],
    run: async (_ev, a) => schemaRef('access_providers', expectString(await a.value('access_provider'), a.at('access_provider')),
      databaseScope(await a.value('scope'), a.at('scope'))),
  },
];

/** Registers the access provider forms (called by src/v4/forms/index.ts). */
export function wireAccessProviderForms(): void {
  defineForms(ACCESS_PROVIDER_FORMS);
}
