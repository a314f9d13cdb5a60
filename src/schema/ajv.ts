/** The one ajv configuration every front door shares: draft 2020-12, all errors, formats. */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Options } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { useDecimalMultipleOf } from './decimal.js';
import { ajvRegExp } from '../regex/index.js';

// ajv-formats is CommonJS with a default export; under NodeNext the namespace is what arrives.
const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (ajv: Ajv2020) => Ajv2020;

export type Ajv = Ajv2020;

export function createAjv(extra: Options = {}): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    logger: false,
    // Plans are data, not code: the same schema object may appear in many points.
    addUsedSchema: false,
    // prepareSchema has already checked each schema against the meta-schema.
    validateSchema: false,
    // Ajv's name optimiser doubles compile time for no measurable gain on plan schemas.
    // Plan patterns run in linear time (re2js), with JavaScript semantics: docs/patterns.md.
    code: { optimize: false, regExp: ajvRegExp },
    ...extra,
  });
  addFormats(ajv);
  useDecimalMultipleOf(ajv);
  return ajv;
}

let shared: Ajv2020 | undefined;

/** A process-wide instance, for checks that only read its metadata (formats, meta-schema). */
export function sharedAjv(): Ajv2020 {
  return (shared ??= createAjv());
}

export function knownFormats(ajv: Ajv2020 = sharedAjv()): Set<string> {
  return new Set(Object.keys(ajv.formats));
}
