import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { UserRecord } from '../../app/store.js';
import { ROLES, type Role } from '../../core/access/roles.js';
import { SwitchboardError } from '../../core/errors.js';
import { BODY, errorResponses, KEYED, PathParam } from '../schemas.js';
import type { Services } from '../services.js';
import { clearSessionCookie, setSessionCookie } from '../session-cookie.js';
import { ScopeSchema } from './keys.js';

const RoleSchema = Type.Unsafe<Role>({ type: 'string', enum: [...ROLES] });

const UserView = Type.Object({
  id: Type.String(),
  account_id: Type.String(),
  email: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  role: RoleSchema,
  created_at: Type.String(),
});

const SessionView = Type.Object({
  user: UserView,
  scopes: Type.Array(ScopeSchema, { description: "what the user's role allows, as a key's scopes" }),
  csrf_token: Type.String({ description: 'sent back in the X-CSRF-Token header of every change made with this session' }),
});

const SignIn = Type.Object({ email: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false });
const NewUser = Type.Object(
  { email: Type.String({ minLength: 3, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 1024 }), role: RoleSchema, name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
  { additionalProperties: false },
);

const userView = (u: UserRecord) => ({ id: u.id, account_id: u.accountId, email: u.email, name: u.name, role: u.role, created_at: new Date(u.createdAt).toISOString() });

/** Dashboard sign-in (a session cookie), sign-out, and the people of an account. */
export const sessionRoutes = ({ users }: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/session',
      { schema: { summary: 'Sign in to the dashboard: sets the session cookie', security: [], body: SignIn, response: { 201: SessionView, ...errorResponses(...BODY, 401, 403, 429) } } },
      async (request, reply) => {
        // request.ip: the client's address, as the IP allowlists read it (X-Forwarded-For only from a trusted proxy).
        const { token, session, user } = await users.signIn(request.body.email, request.body.password, request.ip);
        const { caller } = await users.authenticate(token);
        setSessionCookie(request, reply, token);
        return reply.code(201).send({ user: userView(user), scopes: [...caller.scopes], csrf_token: session.csrf });
      },
    );

    app.get('/v1/session', { schema: { summary: 'The signed-in user, their scopes and CSRF token', response: { 200: SessionView, ...errorResponses(...KEYED, 404) } } }, async (request) => {
      const { session } = request;
      if (!session) throw new SwitchboardError('not_found', 'This request came with an API key, not a session.');
      return { user: userView(session.user), scopes: [...session.caller.scopes], csrf_token: session.csrf };
    });

    app.delete('/v1/session', { schema: { summary: 'Sign out this browser', response: { 204: Type.Null(), ...errorResponses(...KEYED) } } }, async (request, reply) => {
      if (request.session) await users.signOut(request.session.hash);
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    });

    app.delete('/v1/sessions', { schema: { summary: "Sign out everywhere: ends every session of the signed-in user", response: { 204: Type.Null(), ...errorResponses(...KEYED, 404) } } }, async (request, reply) => {
      if (!request.session) throw new SwitchboardError('not_found', 'This request came with an API key, not a session.');
      await users.signOutEverywhere(request.session.user.id);
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    });

    app.get('/v1/users', { schema: { summary: "The account's dashboard users", response: { 200: Type.Object({ users: Type.Array(UserView) }), ...errorResponses(...KEYED) } } }, async (request) => ({
      users: (await users.list(request.accountId)).map(userView),
    }));

    app.post(
      '/v1/users',
      { schema: { summary: 'Create a dashboard user in the caller\'s account', body: NewUser, response: { 201: UserView, ...errorResponses(...KEYED, ...BODY) } } },
      async (request, reply) => {
        const caller = request.caller!;
        users.refuseBeyond(caller, request.body.role, 'role');
        const user = await users.create(caller.accountId, request.body);
        return reply.code(201).send(userView(user));
      },
    );

    app.delete(
      '/v1/users/:id',
      {
        schema: {
          summary: "Delete a dashboard user of the caller's account, and every session of theirs; not one with more rights than the caller's, nor the caller",
          params: Type.Object({ id: PathParam() }),
          response: { 204: Type.Null(), ...errorResponses(...KEYED, ...BODY, 404) },
        },
      },
      async (request, reply) => {
        await users.remove(request.caller!, request.params.id, request.session?.user.id);
        return reply.code(204).send(null);
      },
    );
  };
