// Access providers of the selected database: identity providers (Auth0, Cognito, Okta, Clerk…)
// whose JWTs authenticate here (README "Access providers and JWTs"). List, create, edit and
// delete through a form: name, issuer, jwks_uri and the roles a token gets, each a user role of
// the database granted outright or when a predicate on the token's claims holds. The audience
// is derived by the server from the database, so it is read-only here: it is what the identity
// provider must put in a token's `aud`, hence the copy button. Every check (https jwks_uri,
// roles that exist and are not built-in, a unique issuer) is the server's own, shown as worded.
import { useState } from 'preact/hooks';
import { data } from './api';
import { type Grant, GrantCell, withGrant } from './grant-cell';
import { loadNames } from './names';
import type { Session } from './session';
import { CopyButton, ErrorMessage, FormButtons, Notice, Show, TextField, requireIdentifier, useAction, useLoad } from './ui';

/** A role entry as the server stores it: a role name, or a role with a predicate. */
type ProviderRole = string | { role: string; predicate?: string | null };

interface Provider {
  name: string;
  issuer: string;
  jwks_uri: string;
  roles?: ProviderRole | ProviderRole[] | null;
  audience: string;
}

const PROVIDER_FIELDS = '{ name: p.name, issuer: p.issuer, jwks_uri: p.jwks_uri, roles: p.roles, audience: p.audience }';

/** `roles` may be one entry or an array of them (core accepts both). */
function grantsOf(p: Provider | null): Record<string, Grant> {
  const roles = p?.roles ?? [];
  const g: Record<string, Grant> = {};
  for (const r of Array.isArray(roles) ? roles : [roles]) {
    if (typeof r === 'string') g[r] = true;
    else g[r.role] = r.predicate ? r.predicate : true;
  }
  return g;
}

function rolesOf(grants: Record<string, Grant>): ProviderRole[] {
  return Object.entries(grants).map(([role, g]) => (g === true ? role : { role, predicate: g }));
}

function rolesText(p: Provider): string {
  return Object.entries(grantsOf(p)).map(([r, g]) => (g === true ? r : `${r} (predicate)`)).join(', ');
}

export function AccessProvidersView(props: { s: Session }) {
  const admin = props.s.as();
  const [providers, reload] = useLoad(() => data<Provider[]>(admin, `AccessProvider.all().map(p => ${PROVIDER_FIELDS}).toArray()`), [admin]);
  const [names] = useLoad(() => loadNames(admin), [admin]);
  // The provider being edited (its audience shown), or null for a new one.
  const [editing, setEditing] = useState<{ original: Provider | null } | null>(null);
  const [name, setName] = useState('');
  const [issuer, setIssuer] = useState('');
  const [jwksUri, setJwksUri] = useState('');
  const [grants, setGrants] = useState<Record<string, Grant>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const act = useAction();

  const open = (p: Provider | null) => {
    setEditing({ original: p });
    setName(p?.name ?? '');
    setIssuer(p?.issuer ?? '');
    setJwksUri(p?.jwks_uri ?? '');
    setGrants(grantsOf(p));
    act.setError(null);
  };

  const save = () => act.run(async () => {
    requireIdentifier('An access provider name', name);
    const roles = rolesOf(grants);
    const original = editing!.original;
    if (original === null) {
      const def: Record<string, unknown> = { name, issuer, jwks_uri: jwksUri };
      if (roles.length) def.roles = roles;
      const created = await data<Provider>(admin, `let p = AccessProvider.create(def)\n${PROVIDER_FIELDS}`, { def });
      // Stay on the new provider: its audience is what the identity provider needs next.
      open(created);
      setNotice(`Access provider ${name} created. Give your identity provider its audience.`);
    } else {
      const def = { name, issuer, jwks_uri: jwksUri, roles: roles.length ? roles : null };
      await data(admin, 'AccessProvider.byName(original)!.update(def)', { original: original.name, def });
      setEditing(null);
      setNotice(`Access provider ${name} saved.`);
    }
    reload();
  });

  const remove = (n: string) => act.run(async () => {
    await data(admin, 'AccessProvider.byName(n)!.delete()', { n });
    setEditing(null);
    setNotice(`Access provider ${n} deleted.`);
    reload();
  });

  // Every user role, and any role the provider names that is no longer listed (so that saving
  // does not silently drop it: the server says what is wrong with it).
  const roleNames = [...new Set([...(names.state === 'ok' ? names.value.roles : []), ...Object.keys(grants)])];
  const original = editing?.original ?? null;
  return (
    <div>
      <div class="toolbar">
        <button type="button" onClick={() => { open(null); setNotice(null); }}>New access provider</button>
        <Notice message={notice} />
      </div>
      {editing && (
        <form class="card" aria-label={original === null ? 'New access provider' : `Access provider ${original.name}`}
          onSubmit={(e) => { e.preventDefault(); save(); }}>
          <div class="form-grid">
            <TextField label="Name" value={name} onInput={setName} />
            <TextField label="Issuer" class="wide" value={issuer} onInput={setIssuer} placeholder="https://example.auth0.com/" />
            <TextField label="JWKS URI" class="wide" value={jwksUri} onInput={setJwksUri} placeholder="https://example.auth0.com/.well-known/jwks.json" />
            <span>Audience</span>
            {original === null
              ? <span class="muted">The server assigns it when the provider is created.</span>
              : (
                <span class="audience">
                  <input aria-label="Audience" readOnly value={original.audience} onFocus={(e) => (e.target as HTMLInputElement).select()} />
                  <CopyButton text={original.audience} />
                </span>
              )}
          </div>
          <h3>Roles</h3>
          <p class="muted">A token gets each ticked role; with a predicate on its claims, e.g. <code>claims =&gt; claims.tier == "gold"</code>, only when it holds. A token with no role is refused.</p>
          {roleNames.length === 0
            ? <p class="muted">No user roles to offer: there are none in this database, or this secret may not read them. A role is created in the Roles tab.</p>
            : (
              <table aria-label="Provider roles" class="grants">
                <tbody>
                  {roleNames.map((r) => (
                    <tr key={r}>
                      <th scope="row">{r}</th>
                      <td><GrantCell resource={r} action="role" grant={grants[r]} onChange={(g) => setGrants((m) => withGrant(m, r, g))} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          <FormButtons isNew={original === null} busy={act.busy} onCancel={() => setEditing(null)}
            removal={original === null ? undefined : { kind: 'access provider', name: original.name, run: () => remove(original.name) }} />
          <ErrorMessage message={act.error} />
        </form>
      )}
      {!editing && <ErrorMessage message={act.error} />}
      <Show loaded={providers}>{(list) => list.length === 0 ? <p class="muted">No access providers in this database.</p> : (
        <table aria-label="Access providers">
          <thead><tr><th>Name</th><th>Issuer</th><th>JWKS URI</th><th>Roles</th></tr></thead>
          <tbody>
            {list.map((p) => (
              <tr key={p.name}>
                <td><button type="button" class="link" onClick={() => { open(p); setNotice(null); }}>{p.name}</button></td>
                <td>{p.issuer}</td>
                <td>{p.jwks_uri}</td>
                <td>{rolesText(p)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}</Show>
    </div>
  );
}
