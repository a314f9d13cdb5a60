/**
 * The plugin keeps the core's verdict per call shape (src/lint/check.ts): a call sending the same payload as one
 * already checked against the same plan gets the remembered violations. These cases pin that a remembered verdict is
 * only reused where the core would say the same: each call site still gets its own report, values the core tells
 * apart are kept apart, strictTypes and plan edits are seen.
 */
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import plugin from '../../src/lint/index.js';
import { PLAN } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dataplan-verdicts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const eslint = (settings: Record<string, unknown>, config = plugin.configs.recommended) => new ESLint({
  cwd: dir,
  overrideConfigFile: true,
  overrideConfig: [config, { settings: { dataplan: settings } }],
});
const lint = async (e: ESLint, code: string, name = 'a.js') =>
  (await e.lintText(code, { filePath: join(dir, name) }))[0].messages.map((m) => `${m.line}:${m.column} ${m.message}`);

const coupon = (pct: string) => `mParticle.logEvent('Coupon Applied', mParticle.EventType.Transaction, { coupon_code: 'SPRING20', discount_pct: ${pct}, valid: true });`;
const TOO_BIG = 'Attribute "discount_pct" on custom_event "Coupon Applied" (transaction) should be <= 100, got 120';

describe('remembered verdicts', () => {
  it('the same call in several places and files is reported at each', async () => {
    const e = eslint({ plan: PLAN });
    const code = [coupon('120'), coupon('20'), coupon('120')].join('\n');
    expect(await lint(e, code)).toEqual([`1:98 ${TOO_BIG}`, `3:98 ${TOO_BIG}`]);
    expect(await lint(e, `\n  ${coupon('120')}`, 'b.js')).toEqual([`2:100 ${TOO_BIG}`]);
  });

  it('values the core tells apart get their own verdicts (NaN, null, a numeric string, a number)', async () => {
    const e = eslint({ plan: PLAN });
    const code = ['NaN', 'null', "'20'", '20', 'NaN'].map(coupon).join('\n');
    expect(await lint(e, code)).toEqual([
      '1:98 Attribute "discount_pct" on custom_event "Coupon Applied" (transaction) should be a number, got null',
      '2:71 Missing required attribute "discount_pct" on custom_event "Coupon Applied" (transaction)',
      '5:98 Attribute "discount_pct" on custom_event "Coupon Applied" (transaction) should be a number, got null',
    ]);
  });

  it('strictTypes is part of the verdict', async () => {
    const code = coupon("'20'");
    expect(await lint(eslint({ plan: PLAN }), code)).toEqual([]);
    expect(await lint(eslint({ plan: PLAN, strictTypes: true }), code)).toEqual([
      '1:98 Attribute "discount_pct" on custom_event "Coupon Applied" (transaction) should be a number, got "20"',
    ]);
    expect(await lint(eslint({ plan: PLAN }), code)).toEqual([]);
  });

  it('an edited plan gets new verdicts for calls already checked', async () => {
    const planFile = join(dir, 'plan.json');
    const original = readFileSync(PLAN, 'utf8');
    writeFileSync(planFile, original);
    const code = coupon('120');
    expect(await lint(eslint({ plan: planFile }), code)).toEqual([`1:98 ${TOO_BIG}`]);
    writeFileSync(planFile, original.replace('"maximum": 100', '"maximum": 150'));
    utimesSync(planFile, new Date(), new Date(Date.now() + 5000));
    expect(await lint(eslint({ plan: planFile }), code)).toEqual([]);
    writeFileSync(planFile, original);
    utimesSync(planFile, new Date(), new Date(Date.now() + 10000));
    expect(await lint(eslint({ plan: planFile }), code)).toEqual([`1:98 ${TOO_BIG}`]);
  });

  it('no-unverifiable-call (worked out only when it runs) still reports, and is not reported by configs.recommended', async () => {
    const code = `\n${coupon('getPct()')}\n`;
    expect(await lint(eslint({ plan: PLAN }), code)).toEqual([]);
    const strict = await lint(eslint({ plan: PLAN }, plugin.configs.strict), code);
    expect(strict).toHaveLength(1);
    expect(strict[0]).toMatch(/^2:\d+ Cannot verify mParticle\.logEvent against the data plan: attribute "discount_pct": `getPct\(\)` is a call/);
  });
});
