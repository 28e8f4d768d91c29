import { readFileSync } from 'node:fs';

/** CPU milliseconds (user + system) a process has used, from /proc: a cost that other load on the machine does not inflate as it does wall time. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
