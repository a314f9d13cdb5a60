import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/validate/index.js';

const plan = loadPlan(join(import.meta.dirname, '..', 'fixtures', 'plans', 'acme_web_shop-2.version.json'));

describe('validateUserIdentities (identities by IDSync name, as web SDK identity requests carry them)', () => {
  it('reports unplanned and invalid identities with the same codes and wording as batches', () => {
    const vs = plan.validateUserIdentities({ customerid: 'X1', email: 'jane@example.com', other2: 'y' });
    expect(vs.map((v) => [v.violation, v.key, v.error_pointer, v.match_key, v.message]).sort((a, b) => String(b[0]).localeCompare(String(a[0])))).toEqual([
      ['unplanned_user_identity', 'other2', '#', 'user_identities', 'Unplanned user identity "other2"'],
      ['invalid_expected_value', 'customerid', '#/customerid', 'user_identities', 'User identity "customerid" should match the pattern "^C[0-9]{7}$", got "X1"'],
    ]);
  });

  it('null values are removals and planned identities pass', () => {
    expect(plan.validateUserIdentities({ customerid: 'C1234567', email: 'jane@example.com', other3: null })).toEqual([]);
  });

  it('a plan without a user_identities point checks nothing', () => {
    const tiny = loadPlan(join(import.meta.dirname, '..', 'fixtures', 'plans', 'tiny_plan.document.json'));
    expect(tiny.validateUserIdentities({ anything: 'x' })).toEqual([]);
  });
});
