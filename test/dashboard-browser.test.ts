import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { bearer, eventually, PROJECT_CI, testNode, type TestNode } from './helpers.js';
import { FAST_WEBHOOKS, Receiver } from './webhook-receiver.js';

// The dashboard in a real browser (Debian's Chromium, headless), against a real node on
// 127.0.0.1: what a person does, step by step, with an accessibility check of each page. A test
// that fails leaves a screenshot in the OS temp folder and says where.

const CHROMIUM = '/usr/bin/chromium';
/**
 * Why the browser tests cannot run here, or false: a fresh machine may not have Debian's Chromium
 * (`.ci/run` installs it, and CI must run them: there, a missing browser fails rather than skips).
 */
const browserAbsent: string | false = existsSync(CHROMIUM) || PROJECT_CI ? false : "Debian's Chromium is not installed here (apt-get install -y chromium)";
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PASSWORD = 'correct horse battery staple';

/** axe-core's WCAG A and AA violations on the page as it stands. */
async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(o: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return found;
}

describe('the dashboard in a browser', { skip: browserAbsent }, () => {
  let node: TestNode;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let failedId: string;
  let frenchId: string;
  /** Where the account's webhook endpoint posts message.undelivered events. */
  let receiver: Receiver;

  /** Runs one step; on failure, a screenshot of the page goes to the temp folder. */
  const step = (name: string, body: () => Promise<void>) =>
    test(name, async () => {
      try {
        await body();
      } catch (error) {
        const file = join(tmpdir(), `switchboard-dashboard-${name.replace(/\W+/g, '-').slice(0, 60)}-${Date.now()}.png`);
        await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
        throw new Error(`${(error as Error).message}\n(screenshot: ${file})`, { cause: error });
      }
    });

  before(async () => {
    node = await testNode({ env: FAST_WEBHOOKS });
    await node.api.listen({ host: '127.0.0.1', port: 0 });
    receiver = await new Receiver().listen();
    const endpoint = await node.api.inject({ method: 'POST', url: '/v1/webhooks/endpoints', headers: bearer(node.key), payload: { url: receiver.url, events: ['message.undelivered'] } });
    assert.equal(endpoint.statusCode, 201);
    base = `http://127.0.0.1:${(node.api.server.address() as { port: number }).port}`;
    const created = await node.api.inject({ method: 'POST', url: '/v1/users', headers: bearer(node.key), payload: { email: 'ada@example.com', password: PASSWORD, role: 'admin' } });
    assert.equal(created.statusCode, 201);
    const failed = await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(node.key), payload: { from: 'Shop', to: '+447700900001', text: 'Your code' } });
    failedId = failed.json().messages[0].id;
    profile = mkdtempSync(join(tmpdir(), 'switchboard-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(10_000);
  });
  after(async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    await receiver?.close();
    await node.close();
  });

  step('signs in', async () => {
    await page.goto(`${base}/`);
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password').fill('wrong password, twelve');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Wrong email or password').waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
  });

  step('sends a test message and sees it turn delivered, live', async () => {
    await page.getByRole('link', { name: 'Send a test' }).click();
    await page.getByLabel('To').fill('+447700900000');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('#sent-status').getByText('delivered').waitFor({ timeout: 30_000 }); // accepted, dispatched, receipted: on a busy machine more than the page's 10 s
  });

  step('filters the log by status', async () => {
    await page.getByRole('link', { name: 'Messages' }).click();
    await page.getByRole('heading', { name: 'Messages' }).waitFor();
    await page.locator('tbody tr[data-id]').nth(1).waitFor();
    await page.locator(`tr[data-id="${failedId}"]`).getByText('undelivered').waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.getByLabel('Status').selectOption('undelivered');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/status=undelivered/);
    // The unfiltered list stays on screen until the filtered one replaces it: wait for the filtered one.
    // Read at once in the page: a row read one by one may be gone before it is read.
    const shown = () => page.locator('tbody tr[data-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
    await eventually(async () => ((await shown()).join() === failedId ? true : undefined), 10_000);
  });

  step('opens a failed message and reads why and what to do', async () => {
    await page.locator(`tr[data-id="${failedId}"] a`).first().click();
    await page.getByRole('heading', { name: 'Why: Unknown subscriber' }).waitFor();
    await page.getByRole('link', { name: 'Read more about unknown_subscriber' }).waitFor();
    const receipt = page.locator('details', { hasText: 'UNKNOWN_SUBSCRIBER' }).filter({ has: page.getByText('Raw provider payload') });
    await receipt.getByText('Raw provider payload').click();
    assert.match(await receipt.locator('pre').innerText(), /UNKNOWN_SUBSCRIBER/);
    assert.deepEqual(await accessibilityViolations(page), []);
  });

  step('follows an error from the overview to the messages behind it', async () => {
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'Top errors' }).waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.getByRole('link', { name: 'unknown_subscriber' }).click();
    await page.waitForURL(/error_code=unknown_subscriber/);
    await page.locator(`tr[data-id="${failedId}"]`).waitFor();
    assert.equal(await page.locator('tbody tr[data-id]').count(), 1);
  });

  step('finds why France failed, and on which connection, in three clicks from the failures page', async () => {
    // A carrier line for France that delivers nothing, and a message that takes it.
    const call = (method: 'PUT' | 'POST', url: string, payload: object) => node.api.inject({ method, url, headers: bearer(node.key), payload });
    assert.ok((await call('PUT', '/v1/connections/france-line', { provider: 'sandbox', receipt_delay_ms: 10, destinations: { '+33': { delivery_rate: 0 } } })).statusCode < 300);
    assert.equal((await call('PUT', '/v1/routes', { routes: [{ name: 'france', match: { prefixes: ['+33'] }, connections: ['france-line'] }, { name: 'rest', connections: ['sandbox'] }] })).statusCode, 200);
    frenchId = (await call('POST', '/v1/messages', { from: 'Shop', to: '+33612345678', text: 'Bonjour' })).json().messages[0].id;
    await eventually(async () => ((await node.api.inject({ method: 'GET', url: `/v1/messages/${frenchId}`, headers: bearer(node.key) })).json().status === 'undelivered' ? true : undefined), 30_000);

    await page.getByRole('link', { name: 'Failures' }).click();
    await page.getByRole('heading', { name: 'Failures' }).waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.getByRole('link', { name: 'FR', exact: true }).click();
    await page.waitForURL(/country=FR/);
    await page.getByRole('link', { name: 'france-line', exact: true }).click();
    await page.waitForURL(/connection=france-line/);
    await page.getByRole('link', { name: '1 failed with unknown_subscriber: the messages' }).click();
    await page.waitForURL(/#\/messages\?.*error_code=unknown_subscriber/);
    await page.locator(`tr[data-id="${frenchId}"]`).waitFor();
    assert.equal(await page.locator('tbody tr[data-id]').count(), 1);
    assert.deepEqual(await accessibilityViolations(page), []);
  });

  step('exports the filtered log as CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    const lines = readFileSync((await download.path())!, 'utf8').split('\r\n');
    assert.equal(lines[0], 'id,created_at,from,to,status,error_code,connection,route,segments,price,client_ref');
    assert.deepEqual(lines.slice(1), [`${frenchId},${lines[1]!.split(',')[1]},Shop,+33612345678,undelivered,unknown_subscriber,france-line,france,1,,`, '']);
  });

  step('reads a sub-account\'s log, chosen by its name', async () => {
    const shop = (await node.api.inject({ method: 'POST', url: '/v1/accounts', headers: bearer(node.key), payload: { name: 'Shop' } })).json();
    const key = (await node.api.inject({ method: 'POST', url: `/v1/accounts/${shop.id}/keys`, headers: bearer(node.key), payload: { scopes: ['send'] } })).json().key;
    const theirs = (await node.api.inject({ method: 'POST', url: '/v1/messages', headers: bearer(key), payload: { from: 'Shop', to: '+447700900000', text: 'Theirs' } })).json().messages[0].id;
    await page.goto(`${base}/#/messages`);
    await page.locator(`tr[data-id="${failedId}"]`).waitFor();
    await page.getByLabel('Sub-account').selectOption({ label: 'Shop' });
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(new RegExp(`account=${shop.id}`));
    await page.locator(`tr[data-id="${theirs}"]`).waitFor();
    assert.equal(await page.locator('tbody tr[data-id]').count(), 1);
  });

  step('edits the routing table: a bad one is refused, a good one saved', async () => {
    await page.getByRole('link', { name: 'Connections and routes' }).click();
    const editor = page.getByLabel('The table, as PUT /v1/routes takes it');
    await editor.waitFor();
    await editor.fill(JSON.stringify({ routes: [{ name: 'france', match: { prefixes: ['+33'] }, connections: [{ connection: 'nowhere' }] }] }));
    await page.getByRole('button', { name: 'Save the routing table' }).click();
    await page.getByText(/Refused: The routing table is not valid/).waitFor();
    await editor.fill(JSON.stringify({ routes: [{ name: 'france', match: { prefixes: ['+33'] }, connections: [{ connection: 'sandbox' }] }, { name: 'rest', connections: [{ connection: 'sandbox' }] }] }));
    await page.getByRole('button', { name: 'Save the routing table' }).click();
    await page.getByText('Saved: new messages take these routes.').waitFor();
    await page.getByRole('form', { name: 'Which route' }).getByLabel('To').fill('+33612345678');
    await page.getByRole('button', { name: 'Which route?' }).click();
    await page.getByText(/Route "france", connection sandbox/).waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
  });

  step('explains a pasted payload', async () => {
    await page.getByRole('link', { name: 'Error catalogue' }).click();
    await page.getByLabel('Provider').fill('vonage');
    await page.getByLabel(/Raw payload/).fill('msisdn=447700900000&to=AcmeInc&messageId=0A0000001234567B&status=failed&err-code=1');
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.locator('#normalized').getByText(/"state": "undelivered"|"state": "failed"/).waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
  });

  step("resends a message's webhook delivery: the receiver gets the same event again", async () => {
    // The failed message's posts (the French one's go there too).
    const posts = () => receiver.requests.filter((r) => (JSON.parse(r.body) as { data: { message: { id: string } } }).data.message.id === failedId);
    await eventually(async () => (posts().length === 1 ? true : undefined), 15_000);
    await page.goto(`${base}/#/messages/${failedId}`);
    await page.getByRole('heading', { name: 'Webhook deliveries' }).waitFor();
    await page.locator('li[data-delivery]').getByText('delivered').waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.getByRole('button', { name: `Resend to ${receiver.url}` }).click();
    await page.locator('li[data-delivery]', { hasText: '(a resend)' }).waitFor();
    assert.equal(await page.locator('li[data-delivery]').count(), 2);
    await eventually(async () => (posts().length === 2 ? true : undefined), 15_000);
    assert.equal(posts()[1]!.headers['webhook-id'], posts()[0]!.headers['webhook-id']);
  });

  step("manages the account's users: adds one with a role, is told why a duplicate is refused, deletes one", async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await page.locator('tr[data-user="ada@example.com"]').getByText('you').waitFor();
    assert.deepEqual(await accessibilityViolations(page), []);
    const add = async (email: string) => {
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Name').fill('Grace');
      await page.getByLabel('Password (12 characters or more)').fill(PASSWORD);
      await page.getByLabel('Role').selectOption('developer');
      await page.getByRole('button', { name: 'Add the user' }).click();
    };
    await add('grace@example.com');
    await page.getByText('Added grace@example.com (developer).').waitFor();
    await page.locator('tr[data-user="grace@example.com"]').getByText('developer').waitFor();
    await add('grace@example.com');
    await page.getByText(/Refused: A user with the email grace@example.com exists already/).waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete grace@example.com' }).click();
    await page.getByText('Deleted grace@example.com.').waitFor();
    assert.equal(await page.locator('tr[data-user="grace@example.com"]').count(), 0);
    assert.deepEqual(await accessibilityViolations(page), []);
  });

  step("shows each connection's live figures: TPS used, delivery rate, receipt latency", async () => {
    await page.getByRole('link', { name: 'Connections and routes' }).click();
    const sandbox = page.locator('tr[data-connection="sandbox"]');
    await sandbox.waitFor();
    for (const header of ['TPS used', 'Delivery rate', 'Receipt latency p50 / p95']) await page.getByRole('columnheader', { name: header }).waitFor();
    // Two messages so far (one delivered, one not), and a test message: some submits lately, and a rate.
    await sandbox.getByText(/^\d+(\.\d+)? %$/).waitFor({ timeout: 15_000 });
    await sandbox.getByText(/^\d+(\.\d+)? s \/ \d+(\.\d+)? s$/).waitFor();
  });

  step('reads on a phone: the log fits the screen, and the page is still accessible', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/#/messages`);
    await page.locator(`tr[data-id="${failedId}"]`).waitFor();
    const overflow = await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return doc.scrollWidth - doc.clientWidth;
    });
    assert.equal(overflow, 0, 'the page scrolls sideways; only its tables may');
    assert.deepEqual(await accessibilityViolations(page), []);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  step('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in to Switchboard' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Switchboard' }).waitFor();
  });
});
