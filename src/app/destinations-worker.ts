// A worker thread of DestinationReader: reads one batch of recipients.
import { readDestinations } from '../core/validation/phone.js';

export default function read(task: { numbers: readonly string[]; multiple: boolean }) {
  return readDestinations(task.numbers, task.multiple);
}
