import { api, ApiError, can, current, setSession, type Session } from './api.js';
import { catalogueView } from './catalogue.js';
import { failuresView } from './failures.js';
import { h, show } from './dom.js';
import { LISTS, listView } from './lists.js';
import { logView } from './log.js';
import { messageView } from './message.js';
import { overviewView } from './overview.js';
import { routesView } from './routes.js';
import { sendView } from './send.js';
import { signInView } from './signin.js';
import { usersView } from './users.js';

/** What a page gets: where to draw, the hash's query, and a way to stop its live updates when the page is left. */
export interface Page {
  readonly main: HTMLElement;
  readonly params: URLSearchParams;
  onLeave(stop: () => void): void;
}

const PAGES: Record<string, { title: string; scope?: string; draw: (page: Page, id?: string) => void | Promise<void> }> = {
  overview: { title: 'Overview', scope: 'read', draw: overviewView },
  messages: { title: 'Messages', scope: 'read', draw: (page, id) => (id ? messageView(page, id) : logView(page)) },
  failures: { title: 'Failures', scope: 'read', draw: failuresView },
  send: { title: 'Send a test', scope: 'send', draw: sendView },
  routes: { title: 'Connections and routes', draw: routesView },
  catalogue: { title: 'Error catalogue', draw: catalogueView },
  ...Object.fromEntries(Object.entries(LISTS).map(([key, list]) => [key, { title: list.title, scope: list.scope, draw: (page: Page) => listView(page, key) }])),
  users: { title: 'Users', scope: 'accounts', draw: usersView },
};

const root = document.getElementById('app')!;
let leaving: (() => void)[] = [];

function nav(s: Session): HTMLElement {
  const signOut = async (everywhere: boolean) => {
    await api(everywhere ? '/v1/sessions' : '/v1/session', { method: 'DELETE' }).catch(() => undefined);
    setSession(null);
    location.hash = '';
    void start();
  };
  return h(
    'header',
    {},
    h('a', { class: 'brand', href: '#/overview' }, 'Switchboard'),
    h('nav', { 'aria-label': 'Main' }, h('ul', {}, Object.entries(PAGES).filter(([, p]) => !p.scope || can(p.scope)).map(([key, p]) => h('li', {}, h('a', { href: `#/${key}`, 'data-page': key }, p.title))))),
    h('div', { class: 'who' }, h('span', {}, `${s.user.email} (${s.user.role})`), h('button', { type: 'button', onclick: () => signOut(false) }, 'Sign out'), h('button', { type: 'button', class: 'quiet', onclick: () => signOut(true) }, 'Sign out everywhere')),
  );
}

async function route(): Promise<void> {
  for (const stop of leaving) stop();
  leaving = [];
  const [path = '', search = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [key = 'overview', id] = path.split('/');
  const page = PAGES[key] ?? PAGES.overview!;
  const main = document.getElementById('main')!;
  for (const a of document.querySelectorAll('nav a')) a.toggleAttribute('aria-current', a.getAttribute('data-page') === key);
  document.title = `${page.title} · Switchboard`;
  show(main);
  try {
    await page.draw({ main, params: new URLSearchParams(search), onLeave: (stop) => leaving.push(stop) }, id && decodeURIComponent(id));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return start();
    main.append(h('p', { role: 'alert', class: 'error' }, error instanceof Error ? error.message : String(error)));
  }
}

async function start(): Promise<void> {
  try {
    setSession(await api<Session>('/v1/session'));
  } catch {
    setSession(null);
  }
  const s = current();
  if (!s) {
    show(root, h('main', { id: 'main' }));
    signInView(document.getElementById('main')!, () => void start());
    return;
  }
  show(root, nav(s), h('main', { id: 'main', tabindex: '-1' }));
  await route();
}

window.addEventListener('hashchange', () => void (current() ? route() : start()));
void start();
