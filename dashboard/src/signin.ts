import { api, setSession, type Session } from './api.js';
import { field, fields, h, show } from './dom.js';

export function signInView(main: HTMLElement, signedIn: () => void): void {
  const status = h('p', { role: 'alert', class: 'error' });
  const form = h(
    'form',
    { class: 'card narrow', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in to Switchboard'),
    field('Email', 'email', { type: 'email', autocomplete: 'username', required: true }),
    field('Password', 'password', { type: 'password', autocomplete: 'current-password', required: true }),
    h('button', { type: 'submit' }, 'Sign in'),
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.textContent = '';
    try {
      const { email = '', password = '' } = fields(form);
      setSession(await api<Session>('/v1/session', { method: 'POST', body: { email, password } }));
      signedIn();
    } catch (error) {
      status.textContent = error instanceof Error ? error.message : String(error);
    }
  });
  show(main, form);
}
