// Keys of the selected database: create one with a built-in or user role and an optional name
// (kept in `data.name`); its secret is shown exactly once, with a copy button; list and delete.
import { useState } from 'preact/hooks';
import { data } from './api';
import { loadNames } from './names';
import type { Session } from './session';
import { CopyButton, ErrorMessage, Show, TextField, useAction, useLoad } from './ui';

interface KeyRow {
  readonly id: string;
  readonly role: string;
  readonly ts: string;
  readonly data?: { name?: string } | null;
}

export function KeysView(props: { s: Session }) {
  const admin = props.s.as();
  const [keys, reload] = useLoad(() => data<KeyRow[]>(admin, 'Key.all().toArray()'), [admin]);
  const [names] = useLoad(() => loadNames(admin), [admin]);
  const [creating, setCreating] = useState(false);
  const [role, setRole] = useState('admin');
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const act = useAction();

  const create = () => act.run(async () => {
    const args: Record<string, unknown> = { role };
    const fql = name.trim() ? 'Key.create({ role: role, data: { name: name } })' : 'Key.create({ role: role })';
    if (name.trim()) args.name = name.trim();
    const key = await data<{ secret: string }>(admin, fql, args);
    setSecret(key.secret);
    setCreating(false);
    setName('');
    reload();
  });

  const remove = (id: string) => act.run(async () => {
    await data(admin, 'Key.byId(id)!.delete()', { id });
    reload();
  });

  const userRoles = names.state === 'ok' ? names.value.roles : [];
  return (
    <div>
      <div class="toolbar">
        <button type="button" onClick={() => { setCreating(true); setSecret(null); }}>Create key</button>
      </div>
      {creating && (
        <form class="card" aria-label="New key" onSubmit={(e) => { e.preventDefault(); create(); }}>
          <label>Role
            <select aria-label="Role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
              <option value="admin">admin</option>
              <option value="server">server</option>
              <option value="server-readonly">server-readonly</option>
              {userRoles.map((r) => <option value={r}>{r}</option>)}
            </select>
          </label>
          <TextField label="Name" value={name} placeholder="optional" onInput={setName} />
          <button type="submit" disabled={act.busy}>Create</button>
          <button type="button" class="link" onClick={() => setCreating(false)}>Cancel</button>
        </form>
      )}
      {secret !== null && (
        <section role="region" aria-label="New secret" class="card secret">
          <p>This secret is shown once and never again: copy it now.</p>
          <code data-testid="new-secret">{secret}</code>
          <CopyButton text={secret} />
          <button type="button" class="link" onClick={() => setSecret(null)}>Done</button>
        </section>
      )}
      <ErrorMessage message={act.error} />
      <Show loaded={keys}>{(rows) => rows.length === 0 ? <p class="muted">No keys in this database.</p> : (
        <table aria-label="Keys">
          <thead><tr><th>Id</th><th>Name</th><th>Role</th><th>Created</th><th /></tr></thead>
          <tbody>
            {rows.map((k) => (
              <tr key={k.id}>
                <td>{k.id}</td><td>{k.data?.name ?? ''}</td><td>{k.role}</td><td>{k.ts}</td>
                <td><button type="button" class="danger" title={`Delete key ${k.id}`} onClick={() => remove(k.id)}>Delete</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}</Show>
    </div>
  );
}
