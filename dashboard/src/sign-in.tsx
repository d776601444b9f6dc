// Sign-in with a secret (root, or an admin/server key). The secret is checked with a trivial
// query before it is kept, so a mistyped secret is reported here and not on every view.
import { useState } from 'preact/hooks';
import { describeError, query } from './api';
import { ErrorMessage, errorText } from './ui';

export function SignIn(props: { onSignedIn: (secret: string) => void }) {
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!secret.trim()) { setError('Enter a secret: the root secret, or the secret of an admin or server key.'); return; }
    setBusy(true);
    setError(null);
    try {
      const r = await query(secret.trim(), '0');
      if (r.status === 200) props.onSignedIn(secret.trim());
      else setError(describeError(r));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <h1>fql-server dashboard</h1>
      <form onSubmit={submit}>
        <label>Secret
          <input type="password" name="secret" autoComplete="off" value={secret}
            onInput={(e) => setSecret((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" disabled={busy}>Sign in</button>
        <ErrorMessage message={error} />
        <p class="muted">The secret stays in this browser tab only (session storage).</p>
      </form>
    </main>
  );
}
