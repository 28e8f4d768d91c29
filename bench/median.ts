/** The middle of a list of figures (the upper middle of an even count): a noisy machine's figure from rounds. */
export function median(list: readonly number[]): number {
  return [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
}
