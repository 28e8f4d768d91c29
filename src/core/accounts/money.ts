import { SwitchboardError } from '../errors.js';

/** Amounts are whole micro-units (1 unit = 1,000,000 micro), never floats: sums stay exact. */
export const MICRO = 1_000_000;

const AMOUNT = /^(-?)(\d{1,12})(?:\.(\d{1,6}))?$/;

/** "0.035" -> 35000. Throws invalid_parameter naming `param` for anything but a plain decimal of at most 6 places. */
export function parseAmount(text: string, param: string): number {
  const m = AMOUNT.exec(text);
  if (!m) throw new SwitchboardError('invalid_parameter', `${param} must be a decimal amount with at most 6 decimals, as a string (e.g. "0.035").`, { param });
  const micro = Number(m[2]) * MICRO + Number((m[3] ?? '').padEnd(6, '0'));
  return m[1] ? -micro : micro;
}

/** 35000 -> "0.035000": six decimals always, so amounts line up and compare as text. */
export function formatAmount(micro: number): string {
  const sign = micro < 0 ? '-' : '';
  const abs = Math.abs(micro);
  return `${sign}${Math.floor(abs / MICRO)}.${String(abs % MICRO).padStart(6, '0')}`;
}
