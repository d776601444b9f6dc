// The database tree: child databases of the signed-in secret's database, nested and loaded on
// demand, each listed with the admin secret scoped to its parent. Creating and deleting a
// database act on the selected one.
import { useState } from 'preact/hooks';
import { ADMIN, data, scopedSecret } from './api';
import { ConfirmDelete, ErrorMessage, Show, TextField, requireIdentifier, useAction, useLoad } from './ui';

interface Props {
  readonly secret: string;
  readonly selected: readonly string[];
  readonly onSelect: (path: readonly string[]) => void;
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function Explorer(props: Props) {
  // Bumped after a create or delete so every open node reloads.
  const [version, setVersion] = useState(0);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const act = useAction();
  const sel = props.selected;
  const admin = (path: readonly string[]) => scopedSecret(props.secret, path, ADMIN);

  const create = () => act.run(async () => {
    requireIdentifier('A database name', name);
    await data(admin(sel), 'Database.create({ name: name })', { name });
    setCreating(false);
    setName('');
    setVersion((v) => v + 1);
  });

  const remove = () => act.run(async () => {
    const parent = sel.slice(0, -1);
    await data(admin(parent), 'Database.byName(name)!.delete()', { name: sel[sel.length - 1] });
    setConfirmDelete(false);
    props.onSelect(parent);
    setVersion((v) => v + 1);
  });

  return (
    <div class="explorer">
      <h2>Databases</h2>
      <ul class="tree" role="tree" aria-label="Database tree">
        <li role="treeitem" aria-selected={sel.length === 0}>
          <button type="button" class={sel.length === 0 ? 'node selected' : 'node'} onClick={() => props.onSelect([])}>root</button>
          <Children {...props} path={[]} version={version} />
        </li>
      </ul>
      <div class="actions">
        <button type="button" onClick={() => { setCreating(true); act.setError(null); }}>Create database</button>
        {sel.length > 0 && <button type="button" class="danger" title={`Delete database ${sel.join(" / ")}`} onClick={() => setConfirmDelete(true)}>Delete</button>}
      </div>
      {creating && (
        <form class="card" aria-label="New database" onSubmit={(e) => { e.preventDefault(); create(); }}>
          <p class="muted">In {sel.length ? sel.join(' / ') : 'root'}</p>
          <TextField label="Name" value={name} onInput={setName} />
          <button type="submit" disabled={act.busy}>Create</button>
          <button type="button" class="link" onClick={() => setCreating(false)}>Cancel</button>
        </form>
      )}
      {confirmDelete && (
        <ConfirmDelete removal={{ kind: 'database', name: sel.join(' / '), consequence: 'and everything in it', run: remove }}
          busy={act.busy} onCancel={() => setConfirmDelete(false)} />
      )}
      <ErrorMessage message={act.error} />
    </div>
  );
}

function Children(props: Props & { path: readonly string[]; version: number }) {
  const [loaded] = useLoad(
    () => data<string[]>(scopedSecret(props.secret, props.path, ADMIN), 'Database.all().map(d => d.name).toArray()'),
    [props.secret, props.path.join('/'), props.version],
  );
  return (
    <Show loaded={loaded}>{(names) => names.length === 0 ? null : (
      <ul role="group">
        {names.map((n) => {
          const p = [...props.path, n];
          const isSel = same(p, props.selected);
          const open = props.selected.length > p.length && same(props.selected.slice(0, p.length), p);
          return (
            <li role="treeitem" aria-selected={isSel} key={n}>
              <button type="button" class={isSel ? 'node selected' : 'node'} onClick={() => props.onSelect(p)}>{n}</button>
              {(isSel || open) && <Children {...props} path={p} />}
            </li>
          );
        })}
      </ul>
    )}</Show>
  );
}
