// User roles of the selected database: create and edit through a form whose privileges are a
// matrix of resources (collections, functions, the built-in Credential/Token/Key collections) ×
// actions, each cell granted outright or with a predicate; membership by collection, with an
// optional predicate. The Schema tab holds the same roles as FSL `role` blocks.
import { useState } from 'preact/hooks';
import { data } from './api';
import { loadNames } from './names';
import type { Session } from './session';
import { type Grant, GrantCell, withGrant } from './grant-cell';
import { ErrorMessage, FormButtons, Notice, Show, TextField, requireIdentifier, useAction, useLoad } from './ui';

const COLLECTION_ACTIONS = ['create', 'create_with_id', 'read', 'write', 'delete', 'history_read', 'history_write', 'unrestricted_read'] as const;
const BUILTIN_RESOURCES = ['Credential', 'Token', 'Key'];

interface RoleDef {
  name: string;
  privileges?: { resource: string; actions: Record<string, boolean | string> }[] | null;
  membership?: { resource: string; predicate?: string | null }[] | null;
}

/** resource → action → grant */
type Matrix = Record<string, Record<string, Grant>>;

function matrixOf(r: RoleDef | null): Matrix {
  const m: Matrix = {};
  for (const p of r?.privileges ?? []) {
    for (const [a, v] of Object.entries(p.actions)) if (v !== false) (m[p.resource] ??= {})[a] = v === true ? true : String(v);
  }
  return m;
}

function membershipOf(r: RoleDef | null): Record<string, Grant> {
  const m: Record<string, Grant> = {};
  for (const x of r?.membership ?? []) m[x.resource] = x.predicate ? x.predicate : true;
  return m;
}

export function RolesView(props: { s: Session }) {
  const admin = props.s.as();
  const [roles, reload] = useLoad(() => data<RoleDef[]>(admin, 'Role.all().map(r => { name: r.name, privileges: r.privileges, membership: r.membership }).toArray()'), [admin]);
  const [names] = useLoad(() => loadNames(admin), [admin]);
  const [editing, setEditing] = useState<{ original: string | null } | null>(null);
  const [name, setName] = useState('');
  const [matrix, setMatrix] = useState<Matrix>({});
  const [membership, setMembership] = useState<Record<string, Grant>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const act = useAction();

  const open = (r: RoleDef | null) => {
    setEditing({ original: r?.name ?? null });
    setName(r?.name ?? '');
    setMatrix(matrixOf(r));
    setMembership(membershipOf(r));
    setNotice(null);
    act.setError(null);
  };

  const save = () => act.run(async () => {
    requireIdentifier('A role name', name);
    const def = {
      name,
      privileges: Object.entries(matrix).filter(([, acts]) => Object.keys(acts).length)
        .map(([resource, acts]) => ({ resource, actions: acts })),
      membership: Object.entries(membership).map(([resource, g]) => (g === true ? { resource } : { resource, predicate: g })),
    };
    if (editing!.original === null) {
      await data(admin, 'Role.create(def)', { def });
      setNotice(`Role ${name} created.`);
    } else {
      await data(admin, 'Role.byName(original)!.replace(def)', { original: editing!.original, def });
      setNotice(`Role ${name} saved.`);
    }
    setEditing(null);
    reload();
  });

  const remove = (n: string) => act.run(async () => {
    await data(admin, 'Role.byName(n)!.delete()', { n });
    setNotice(`Role ${n} deleted.`);
    setEditing(null);
    reload();
  });

  const setCell = (resource: string, action: string, g: Grant | null) =>
    setMatrix((m) => ({ ...m, [resource]: withGrant(m[resource] ?? {}, action, g) }));

  const n = names.state === 'ok' ? names.value : { collections: [], functions: [], roles: [] };
  const collections = [...n.collections.map((c) => c.name), ...BUILTIN_RESOURCES];
  return (
    <div>
      <div class="toolbar">
        <button type="button" onClick={() => open(null)}>New role</button>
        <Notice message={notice} />
      </div>
      {editing && (
        <form class="card" aria-label={editing.original === null ? 'New role' : `Role ${editing.original}`} onSubmit={(e) => { e.preventDefault(); save(); }}>
          <TextField label="Name" value={name} onInput={setName} />
          <h3>Privileges</h3>
          <p class="muted">Tick an action to grant it; type a predicate, e.g. <code>doc =&gt; doc.owner == Query.identity()</code>, to grant it only when it holds.</p>
          <table aria-label="Privileges" class="matrix">
            <thead><tr><th>Resource</th>{COLLECTION_ACTIONS.map((a) => <th>{a}</th>)}<th>call</th></tr></thead>
            <tbody>
              {collections.map((r) => (
                <tr>
                  <th scope="row">{r}</th>
                  {COLLECTION_ACTIONS.map((a) => <td><GrantCell resource={r} action={a} grant={matrix[r]?.[a]} onChange={(g) => setCell(r, a, g)} /></td>)}
                  <td />
                </tr>
              ))}
              {n.functions.map((f) => (
                <tr>
                  <th scope="row">{f}</th>
                  {COLLECTION_ACTIONS.map(() => <td />)}
                  <td><GrantCell resource={f} action="call" grant={matrix[f]?.call} onChange={(g) => setCell(f, 'call', g)} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Membership</h3>
          <p class="muted">Tokens whose identity document is in a ticked collection get this role.</p>
          <table aria-label="Membership">
            <tbody>
              {n.collections.map((c) => (
                <tr>
                  <th scope="row">{c.name}</th>
                  <td><GrantCell resource={c.name} action="membership" grant={membership[c.name]}
                    onChange={(g) => setMembership((m) => withGrant(m, c.name, g))} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          <FormButtons isNew={editing.original === null} busy={act.busy} onCancel={() => setEditing(null)}
            removal={editing.original === null ? undefined : { kind: 'role', name: editing.original, run: () => remove(editing.original!) }} />
          <ErrorMessage message={act.error} />
        </form>
      )}
      {!editing && <ErrorMessage message={act.error} />}
      <Show loaded={roles}>{(list) => list.length === 0 ? <p class="muted">No user roles in this database.</p> : (
        <table aria-label="Roles">
          <thead><tr><th>Name</th><th>Privileges</th><th>Membership</th></tr></thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.name}>
                <td><button type="button" class="link" onClick={() => open(r)}>{r.name}</button></td>
                <td>{(r.privileges ?? []).map((p) => `${p.resource} { ${Object.entries(p.actions).filter(([, v]) => v !== false).map(([a, v]) => (v === true ? a : `${a} (predicate)`)).join(' ')} }`).join(', ')}</td>
                <td>{(r.membership ?? []).map((m) => m.resource + (m.predicate ? ' (predicate)' : '')).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}</Show>
    </div>
  );
}
