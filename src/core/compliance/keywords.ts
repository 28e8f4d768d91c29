/**
 * Keywords a subscriber texts to stop, restart or ask for help, in the languages our users send
 * in most. A message is a keyword only when it is one, alone (case, accents, spaces and trailing
 * punctuation aside): "Stop!" is, "please don't stop" is not.
 */
export type Keyword = 'stop' | 'start' | 'help';

const WORDS: Readonly<Record<Keyword, readonly string[]>> = {
  // English (the CTIA list), French, German, Dutch, Spanish, Portuguese, Italian.
  stop: ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'ARRET', 'DESINSCRIRE', 'STOPP', 'ABMELDEN', 'AFMELDEN', 'BAJA', 'PARAR', 'ALTO', 'SAIR', 'CANCELLA'],
  start: ['START', 'UNSTOP', 'SUBSCRIBE', 'YES', 'OPTIN', 'ARRETSTOP', 'ANMELDEN', 'AANMELDEN', 'ALTA', 'INICIAR', 'ISCRIVI'],
  help: ['HELP', 'INFO', 'AIDE', 'HILFE', 'AYUDA', 'AJUDA', 'AIUTO'],
};

const LOOKUP = new Map<string, Keyword>(Object.entries(WORDS).flatMap(([keyword, words]) => words.map((w) => [w, keyword as Keyword])));

/** The keyword a message is, if it is one. */
export function keywordOf(text: string): Keyword | undefined {
  const word = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '') // ARRÊT -> ARRET
    .trim()
    .replace(/[\s.!?]+$/u, '')
    .replace(/[\s-]+/gu, '')
    .toUpperCase();
  return LOOKUP.get(word);
}
