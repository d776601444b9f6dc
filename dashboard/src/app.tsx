// The application frame: sign-in, then the explorer (database tree) beside the selected
// database's views, chosen with tabs; the route lives in the URL.
import { useEffect, useState } from 'preact/hooks';
import { SignIn } from './sign-in';
import { Explorer } from './explorer';
import { DatabaseContents } from './contents';
import { CollectionsView } from './collections';
import { FunctionsView } from './functions';
import { RolesView } from './roles';
import { AccessProvidersView } from './access-providers';
import { KeysView } from './keys';
import { SchemaView } from './schema';
import { ShellView } from './shell';
import { MetricsView } from './metrics';
import { session, storeSecret, storedSecret } from './session';
import { clearDrafts } from './drafts';
import { type Route, VIEWS, type View, readRoute, routeUrl } from './route';

export function App() {
  const [secret, setSecret] = useState<string | null>(storedSecret());
  const [route, setRoute] = useState<Route>(readRoute());

  useEffect(() => {
    const onPop = () => setRoute(readRoute());
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const go = (r: Route) => {
    history.pushState(null, '', routeUrl(r));
    setRoute(r);
  };

  if (secret === null) {
    return <SignIn onSignedIn={(s) => { storeSecret(s); setSecret(s); }} />;
  }
  const signOut = () => { clearDrafts(); storeSecret(null); setSecret(null); };
  const s = session(secret, route.path);
  const dbName = route.path.length ? route.path.join(' / ') : 'root';

  return (
    <div class="frame">
      <header class="top">
        <strong>fql-server</strong>
        <span class="muted">database: <span data-testid="current-db">{dbName}</span></span>
        <button type="button" class="link" onClick={signOut}>Sign out</button>
      </header>
      <nav class="side" aria-label="Databases">
        <Explorer secret={secret} selected={route.path} onSelect={(path) => go({ ...route, path })} />
        <h2>In {dbName}</h2>
        <DatabaseContents admin={s.as()} onOpen={(view) => go({ ...route, view })} />
      </nav>
      <main class="main">
        <div role="tablist" aria-label="Database views" class="tabs">
          {VIEWS.map((v) => (
            <a role="tab" href={routeUrl({ ...route, view: v })} aria-selected={route.view === v}
              onClick={(e) => { e.preventDefault(); go({ ...route, view: v }); }}>{v}</a>
          ))}
        </div>
        <section role="tabpanel" aria-label={route.view} class="panel">
          <ViewOf view={route.view} key={`${route.path.join('/')}`} s={s} />
        </section>
      </main>
    </div>
  );
}

function ViewOf(props: { view: View; s: ReturnType<typeof session> }) {
  switch (props.view) {
    case 'Collections': return <CollectionsView s={props.s} />;
    case 'Functions': return <FunctionsView s={props.s} />;
    case 'Roles': return <RolesView s={props.s} />;
    case 'Access Providers': return <AccessProvidersView s={props.s} />;
    case 'Keys': return <KeysView s={props.s} />;
    case 'Schema': return <SchemaView s={props.s} />;
    case 'Shell': return <ShellView s={props.s} />;
    case 'Metrics': return <MetricsView s={props.s} />;
  }
}
