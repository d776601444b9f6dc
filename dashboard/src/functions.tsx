// User-defined functions of the selected database: list, create, edit and delete through a
// form (name, optional role, body in the FQL editor). The same definitions are in the Schema
// tab as FSL `function` blocks, for those who prefer to edit them there.
import { useState } from 'preact/hooks';
import { data } from './api';
import { Editor } from './editor';
import { completionWords, loadNames } from './names';
import type { Session } from './session';
import { ErrorMessage, FormButtons, Notice, Show, TextField, requireIdentifier, useAction, useLoad } from './ui';

interface Fn { name: string; body: string; role: string | null; signature?: string | null }
type Form = { kind: 'new' } | { kind: 'edit'; original: string };

export function FunctionsView(props: { s: Session }) {
  const admin = props.s.as();
  const [fns, reload] = useLoad(() => data<Fn[]>(admin,
    'Function.all().map(f => { name: f.name, body: f.body, role: f.role, signature: f.signature }).toArray()'), [admin]);
  const [names] = useLoad(() => loadNames(admin), [admin]);
  const [form, setForm] = useState<Form | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState('');
  const [body, setBody] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const act = useAction();

  const open = (f: Fn | null) => {
    setForm(f ? { kind: 'edit', original: f.name } : { kind: 'new' });
    setName(f?.name ?? '');
    setRole(f?.role ?? '');
    setBody(f?.body ?? '(x) => x');
    setNotice(null);
    act.setError(null);
  };

  const save = () => act.run(async () => {
    requireIdentifier('A function name', name);
    if (!body.trim()) throw new Error('The body is an FQL function, e.g. (email) => Account.byEmail(email).first().');
    const def: Record<string, unknown> = { name, body };
    if (form!.kind === 'new') {
      if (role) def.role = role;
      await data(admin, 'Function.create(def)', { def });
      setNotice(`Function ${name} created.`);
    } else {
      await data(admin, 'Function.byName(original)!.update(def)', { original: form!.original, def: { ...def, role: role || null } });
      setNotice(`Function ${name} saved.`);
    }
    setForm(null);
    reload();
  });

  const remove = (n: string) => act.run(async () => {
    await data(admin, 'Function.byName(n)!.delete()', { n });
    setNotice(`Function ${n} deleted.`);
    setForm(null);
    reload();
  });

  const roles = names.state === 'ok' ? names.value.roles : [];
  return (
    <div>
      <div class="toolbar">
        <button type="button" onClick={() => open(null)}>New function</button>
        <Notice message={notice} />
      </div>
      {form && (
        <form class="card" aria-label={form.kind === 'new' ? 'New function' : `Function ${form.original}`} onSubmit={(e) => { e.preventDefault(); save(); }}>
          <TextField label="Name" value={name} onInput={setName} />
          <label>Role
            <select aria-label="Role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
              <option value="">none (runs as the caller)</option>
              <option value="admin">admin</option>
              <option value="server">server</option>
              <option value="server-readonly">server-readonly</option>
              {roles.map((r) => <option value={r}>{r}</option>)}
            </select>
          </label>
          <p class="muted">Body: an FQL function, e.g. <code>(email, password) =&gt; …</code></p>
          <Editor label="Body" language="fql" value={body} onChange={setBody} minLines={6}
            completions={names.state === 'ok' ? completionWords(names.value) : []} />
          <FormButtons isNew={form.kind === 'new'} busy={act.busy} onCancel={() => setForm(null)}
            removal={form.kind === 'edit' ? { kind: 'function', name: form.original, run: () => remove(form.original) } : undefined} />
          <ErrorMessage message={act.error} />
        </form>
      )}
      {!form && <ErrorMessage message={act.error} />}
      <Show loaded={fns}>{(list) => list.length === 0 ? <p class="muted">No functions in this database.</p> : (
        <table aria-label="Functions">
          <thead><tr><th>Name</th><th>Role</th><th>Body</th></tr></thead>
          <tbody>
            {list.map((f) => (
              <tr key={f.name}>
                <td><button type="button" class="link" onClick={() => open(f)}>{f.name}</button></td>
                <td>{f.role ?? ''}</td>
                <td><code class="clip">{f.body}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}</Show>
    </div>
  );
}
