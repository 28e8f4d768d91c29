import { api } from './api.js';
import type { Page } from './app.js';
import { h, show } from './dom.js';

interface Line {
  readonly day?: string;
  readonly messages: number;
  readonly delivered: number;
  readonly failed: number;
  readonly delivery_rate: number | null;
  readonly charged: string;
}

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)} %`);

/** Bars of messages per day, delivered and failed stacked; each bar is labelled for screen readers. */
function chart(lines: readonly Line[]): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  const width = Math.max(lines.length * 12, 120);
  svg.setAttribute('viewBox', `0 0 ${width} 100`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Messages per day: delivered, failed, other');
  svg.classList.add('chart');
  const top = Math.max(1, ...lines.map((l) => l.messages));
  lines.forEach((l, i) => {
    let y = 100;
    for (const [part, value] of [['delivered', l.delivered], ['failed', l.failed], ['other', l.messages - l.delivered - l.failed]] as const) {
      const height = (value / top) * 100;
      const rect = document.createElementNS(ns, 'rect');
      rect.setAttribute('x', String(i * 12 + 1));
      rect.setAttribute('width', '10');
      rect.setAttribute('y', String(y - height));
      rect.setAttribute('height', String(height));
      rect.setAttribute('class', `bar-${part}`);
      const title = document.createElementNS(ns, 'title');
      title.textContent = `${l.day}: ${value} ${part}`;
      rect.append(title);
      svg.append(rect);
      y -= height;
    }
  });
  return svg;
}

export async function overviewView(page: Page): Promise<void> {
  const report = await api<{ currency: string; usage: Line[]; total: Line }>('/v1/usage?group=day');
  const t = report.total;
  show(
    page.main,
    h('h1', {}, 'Overview'),
    h('p', {}, 'The last 30 days (UTC).'),
    h(
      'ul',
      { class: 'tiles' },
      h('li', {}, h('strong', {}, t.messages), ' messages'),
      h('li', {}, h('strong', {}, t.delivered), ' delivered'),
      h('li', {}, h('a', { href: '#/messages?status=failed' }, h('strong', {}, t.failed), ' failed')),
      h('li', {}, h('strong', {}, percent(t.delivery_rate)), ' delivery rate'),
      h('li', {}, h('strong', {}, `${t.charged} ${report.currency}`), ' spent'),
    ),
    chart(report.usage),
  );
}
