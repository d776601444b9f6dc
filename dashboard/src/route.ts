// Client routes: /dashboard/<view>?db=<path>. The server answers index.html for any path under
// /dashboard/ that is not a file, so a reload or a shared link lands on the same view.
export const VIEWS = ['Collections', 'Functions', 'Roles', 'Access Providers', 'Keys', 'Schema', 'Shell', 'Metrics'] as const;
export type View = typeof VIEWS[number];

/** A view's path segment: "Access Providers" → "access-providers". */
function slug(v: View): string {
  return v.toLowerCase().replace(/ /g, '-');
}

export interface Route {
  readonly view: View;
  readonly path: readonly string[];
}

const BASE = '/dashboard/';

export function readRoute(): Route {
  const seg = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length).split('/')[0] : '';
  const view = VIEWS.find((v) => slug(v) === seg.toLowerCase()) ?? 'Collections';
  const db = new URLSearchParams(location.search).get('db') ?? '';
  return { view, path: db.split('/').filter(Boolean) };
}

export function routeUrl(r: Route): string {
  const qs = r.path.length ? `?db=${r.path.map(encodeURIComponent).join('/')}` : '';
  return `${BASE}${slug(r.view)}${qs}`;
}
