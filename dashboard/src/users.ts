import { api, current } from './api.js';
import type { Page } from './app.js';
import { field, fields, h, select, show, when } from './dom.js';

interface User {
  readonly id: string;
  readonly email: string;
  readonly name: string | null;
  readonly role: string;
  readonly created_at: string;
}

const ROLES = ['viewer', 'developer', 'admin'];

/**
 * The people of the signed-in user's account: who they are, a form to add one with a role, and
 * a button to delete one. The API refuses a role (or a deletion) beyond the user's own rights,
 * and the page says so.
 */
export function usersView(page: Page): Promise<void> {
  return draw(page, '');
}

async function draw(page: Page, notice: string): Promise<void> {
  const { users } = await api<{ users: User[] }>('/v1/users');
  const me = current()?.user.id;
  const said = h('p', { role: 'status' }, notice);
  const tell = (text: string, error = false) => {
    said.className = error ? 'error' : '';
    said.textContent = text;
  };
  const failed = (error: unknown) => tell(`Refused: ${error instanceof Error ? error.message : String(error)}`, true);

  const remove = async (u: User) => {
    if (!confirm(`Delete ${u.email}? Their sessions end at once.`)) return;
    try {
      await api(`/v1/users/${encodeURIComponent(u.id)}`, { method: 'DELETE' });
      await draw(page, `Deleted ${u.email}.`);
    } catch (error) {
      failed(error);
    }
  };

  const form = h(
    'form',
    { class: 'card narrow', 'aria-labelledby': 'new-user' },
    h('h2', { id: 'new-user' }, 'Add a user'),
    field('Email', 'email', { type: 'email', required: true, autocomplete: 'off' }),
    field('Name', 'name', { autocomplete: 'off' }),
    field('Password (12 characters or more)', 'password', { type: 'password', required: true, minlength: 12, autocomplete: 'new-password' }),
    select('Role', 'role', ROLES, 'viewer'),
    h('button', { type: 'submit' }, 'Add the user'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const made = await api<User>('/v1/users', { method: 'POST', body: fields(form) });
      await draw(page, `Added ${made.email} (${made.role}).`);
    } catch (error) {
      failed(error);
    }
  });

  show(
    page.main,
    h('h1', {}, 'Users'),
    said,
    h('div', { class: 'scroll' }, h(
      'table',
      {},
      h('caption', {}, 'People who sign in to this account'),
      h('thead', {}, h('tr', {}, ['Email', 'Name', 'Role', 'Since', ''].map((t) => h('th', { scope: 'col' }, t === '' ? h('span', { class: 'sr-only' }, 'Actions') : t)))),
      h(
        'tbody',
        {},
        users.map((u) =>
          h(
            'tr',
            { 'data-user': u.email },
            h('td', {}, u.email),
            h('td', {}, u.name ?? '—'),
            h('td', {}, u.role),
            h('td', {}, when(u.created_at)),
            h('td', {}, u.id === me ? 'you' : h('button', { type: 'button', class: 'quiet', 'aria-label': `Delete ${u.email}`, onclick: () => void remove(u) }, 'Delete')),
          ),
        ),
      ),
    )),
    form,
  );
}
