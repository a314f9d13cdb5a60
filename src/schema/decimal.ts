/**
 * Decimal-exact `multipleOf`: 19.99 is a multiple of 0.01 and 10.005 is not, although binary
 * floating point says otherwise for both (19.99 / 0.01 = 1998.9999999999998). Each number is read
 * as the shortest decimal that round-trips it (what JSON.stringify prints), then compared as
 * scaled integers. Both engines use it: the evaluator directly, ajv through `useDecimalMultipleOf`.
 */
import { createRequire } from 'node:module';
import type { KeywordCxt } from 'ajv';
import type { Ajv } from './ajv.js';

interface Decimal {
  /** The number is digits × 10^-scale, scale ≥ 0. */
  digits: bigint;
  scale: number;
}

function decimal(n: number): Decimal {
  const text = String(Math.abs(n));
  const e = text.indexOf('e');
  const mantissa = e < 0 ? text : text.slice(0, e);
  const exponent = e < 0 ? 0 : Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const fraction = dot < 0 ? '' : mantissa.slice(dot + 1);
  let digits = BigInt((dot < 0 ? mantissa : mantissa.slice(0, dot)) + fraction);
  let scale = fraction.length - exponent;
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits, scale };
}

/** Whether `x` is an integer multiple of `m` (> 0), in decimal. */
export function isMultipleOf(x: number, m: number): boolean {
  if (!Number.isFinite(x) || !Number.isFinite(m) || m === 0) return false;
  if (Number.isSafeInteger(x) && Number.isSafeInteger(m)) return x % m === 0;
  const a = decimal(x);
  const b = decimal(m);
  const scale = Math.max(a.scale, b.scale);
  const xa = a.digits * 10n ** BigInt(scale - a.scale);
  const mb = b.digits * 10n ** BigInt(scale - b.scale);
  return xa % mb === 0n;
}

/** Replace ajv's floating-point `multipleOf` with the decimal-exact one (same error shape). */
export function useDecimalMultipleOf(ajv: Ajv): void {
  // ajv's code builders, loaded with ajv itself (see ajv.ts).
  const { _, str } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  ajv.removeKeyword('multipleOf');
  ajv.addKeyword({
    keyword: 'multipleOf',
    type: 'number',
    schemaType: 'number',
    $data: true,
    error: {
      message: ({ schemaCode }) => str`must be multiple of ${schemaCode}`,
      params: ({ schemaCode }) => _`{multipleOf: ${schemaCode}}`,
    },
    code(cxt: KeywordCxt) {
      const fn = cxt.gen.scopeValue('func', { ref: isMultipleOf });
      cxt.fail$data(_`!${fn}(${cxt.data}, ${cxt.schemaCode})`);
    },
  });
}
