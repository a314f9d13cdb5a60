/**
 * ajv-formats' format definitions (the ones `createAjv` gives ajv), read without loading ajv: the
 * evaluator checks formats with these same functions and patterns.
 */
import { fullFormats } from 'ajv-formats/dist/formats.js';

export const FORMATS: Readonly<Record<string, unknown>> = fullFormats;
export const FORMAT_NAMES: readonly string[] = Object.keys(fullFormats);
