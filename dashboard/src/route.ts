// Client routes: /dashboard/<view>?db=<path>. The server answers index.html for any path under
// /dashboard/ that is not a file, so a reload or a shared link lands on the same view.
export const VIEWS = ['Collections', 'Functions', 'Roles', 'Keys', 'Schema', 'Shell', 'Metrics'] as const;
export type View = typeof VIEWS[number];

export interface Route {
  readonly view: View;
  readonly path: readonly string[];
}

const BASE = '/dashboard/';

export function readRoute(): Route {
  const seg = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length).split('/')[0] : '';
  const view = VIEWS.find((v) => v.toLowerCase() === seg.toLowerCase()) ?? 'Collections';
  const db = new URLSearchParams(location.search).get('db') ?? '';
  return { view, path: db.split('/').filter(Boolean) };
}

export function routeUrl(r: Route): string {
  const qs = r.path.length ? `?db=${r.path.map(encodeURIComponent).join('/')}` : '';
  return `${BASE}${r.view.toLowerCase()}${qs}`;
}
