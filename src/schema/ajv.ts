/**
 * The one ajv configuration every front door shares: draft 2020-12, all errors, formats. ajv is
 * loaded on the first `createAjv()`: plans in the evaluator's vocabulary (evaluate.ts) never need it,
 * and loading it is a large part of a short command's start-up.
 */
import { createRequire } from 'node:module';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { Options } from 'ajv';
import { useDecimalMultipleOf } from './decimal.js';
import { FORMAT_NAMES } from './formats.js';
import { ajvRegExp } from '../regex/index.js';

const require = createRequire(import.meta.url);

export type Ajv = Ajv2020;

export function createAjv(extra: Options = {}): Ajv2020 {
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  // ajv-formats is CommonJS with a default export.
  const formatsPlugin = require('ajv-formats') as { default?: (ajv: Ajv2020) => Ajv2020 } & ((ajv: Ajv2020) => Ajv2020);
  const addFormats = formatsPlugin.default ?? formatsPlugin;
  const ajv = new Ajv({
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

/** Format names a schema may use: those of `ajv` when given, else ajv-formats' (what `createAjv` adds). */
export function knownFormats(ajv?: Ajv2020): Set<string> {
  return new Set(ajv ? Object.keys(ajv.formats) : FORMAT_NAMES);
}
