// What the selected database holds, under the tree: its collections, functions, roles, access
// providers and keys, each kind a link to its tab.
import { data } from './api';
import type { View } from './route';
import { Show, useChanges, useLoad } from './ui';

interface Contents {
  collections: string[];
  functions: string[];
  roles: string[];
  access_providers: string[];
  keys: number;
}

export function DatabaseContents(props: { admin: string; onOpen: (view: View) => void }) {
  const changes = useChanges();
  const [contents] = useLoad(() => data<Contents>(props.admin, `{
  collections: Collection.all().map(.name).toArray(),
  functions: Function.all().map(.name).toArray(),
  roles: Role.all().map(.name).toArray(),
  access_providers: AccessProvider.all().map(.name).toArray(),
  keys: Key.all().count()
}`), [props.admin, changes]);
  const kinds: [View, string, (c: Contents) => string[]][] = [
    ['Collections', 'Collections', (c) => c.collections],
    ['Functions', 'Functions', (c) => c.functions],
    ['Roles', 'Roles', (c) => c.roles],
    ['Access Providers', 'Access providers', (c) => c.access_providers],
  ];
  return (
    <section aria-label="Database contents" class="contents">
      <Show loaded={contents}>{(c) => (
        <dl>
          {kinds.map(([view, label, names]) => (
            <>
              <dt><button type="button" class="link" onClick={() => props.onOpen(view)}>{label} ({names(c).length})</button></dt>
              <dd>{names(c).join(', ')}</dd>
            </>
          ))}
          <dt><button type="button" class="link" onClick={() => props.onOpen('Keys')}>Keys ({c.keys})</button></dt>
        </dl>
      )}</Show>
    </section>
  );
}
