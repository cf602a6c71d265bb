/** The console's pages, by hash route (#/validator, #/console). Adding a page adds an entry here. */
import type { Text } from './i18n.ts';
import type { MountPage } from './page.ts';
import { mountValidator } from '../validator/index.ts';
import { mountConsole } from '../console/index.ts';

export interface Route {
  path: string;
  label: Text;
  mount: MountPage;
}

export const ROUTES: Route[] = [
  { path: 'validator', label: { zh: '验证器', en: 'Validator' }, mount: mountValidator },
  { path: 'console', label: { zh: '控制台', en: 'Console' }, mount: mountConsole },
];

export const DEFAULT_ROUTE = 'validator';

/** The route of a location hash (#/console/cases/… → console); unknown hashes give the default. */
export function routeOf(hash: string): Route {
  const first = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return ROUTES.find((r) => r.path === first) ?? ROUTES.find((r) => r.path === DEFAULT_ROUTE)!;
}
