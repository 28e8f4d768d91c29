import type { Policy } from './policy.js';

const URL_HOST = /\b(?:https?:\/\/)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})(?=[/:?#\s]|$)/giu;

/** The first blocked word or URL domain the text holds, described; undefined when none. */
export function blockedContent(text: string, policy: Policy): string | undefined {
  const words = new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u));
  const word = policy.blockedWords?.find((w) => words.has(w.toLowerCase()));
  if (word !== undefined) return `the word ${JSON.stringify(word)}`;
  if (!policy.blockedDomains?.length) return undefined;
  for (const match of text.matchAll(URL_HOST)) {
    const host = match[1]!.toLowerCase();
    const domain = policy.blockedDomains.find((d) => host === d.toLowerCase() || host.endsWith(`.${d.toLowerCase()}`));
    if (domain !== undefined) return `a link to ${domain}`;
  }
  return undefined;
}
