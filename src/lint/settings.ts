/** `settings.dataplan` in the ESLint config: read and checked, so a typo is one clear diagnostic rather than a crash. */
import type { WrapperSetting } from './recognize/index.js';

export interface DataplanSettings {
  /** Plan file: absolute, `file:` URL, or relative to the eslint.config.* folder (see plan-source.ts). */
  plan?: string | URL;
  /** Plan version to lint against (default: mp.config.json's, else the latest in the file). */
  version?: number;
  /** Wrapper functions whose call sites are analytics calls. */
  wrappers?: WrapperSetting[];
  /** Strict JSON types instead of the platform's conversions ("42" for a number). */
  strictTypes?: boolean;
  /** Follow imports of project modules for constants and wrappers (default true). */
  followImports?: boolean;
}

const KEYS = new Set(['plan', 'version', 'wrappers', 'strictTypes', 'followImports']);
const WRAPPER_KEYS = new Set(['name', 'kind', 'nameArg', 'attributesArg', 'typeArg', 'type']);

export function readSettings(all: unknown): { settings: DataplanSettings; errors: string[] } {
  const raw = (all as Record<string, unknown> | undefined)?.dataplan;
  const errors: string[] = [];
  if (raw === undefined) return { settings: {}, errors };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { settings: {}, errors: ['settings.dataplan must be an object'] };
  const s = raw as Record<string, unknown>;
  for (const k of Object.keys(s)) if (!KEYS.has(k)) errors.push(`settings.dataplan.${k} is not a setting (expected ${[...KEYS].join(', ')})`);
  if (s.plan !== undefined && typeof s.plan !== 'string' && !(s.plan instanceof URL)) errors.push('settings.dataplan.plan must be a path or a file: URL');
  if (s.version !== undefined && !Number.isInteger(s.version)) errors.push('settings.dataplan.version must be an integer');
  for (const k of ['strictTypes', 'followImports']) if (s[k] !== undefined && typeof s[k] !== 'boolean') errors.push(`settings.dataplan.${k} must be true or false`);
  const wrappers: WrapperSetting[] = [];
  if (s.wrappers !== undefined) {
    if (!Array.isArray(s.wrappers)) errors.push('settings.dataplan.wrappers must be an array');
    else s.wrappers.forEach((w, i) => {
      const at = `settings.dataplan.wrappers[${i}]`;
      if (typeof w === 'string') {
        wrappers.push({ name: w });
        return;
      }
      if (typeof w !== 'object' || w === null) return errors.push(`${at} must be a name or an object`);
      const o = w as Record<string, unknown>;
      for (const k of Object.keys(o)) if (!WRAPPER_KEYS.has(k)) errors.push(`${at}.${k} is not a wrapper setting (expected ${[...WRAPPER_KEYS].join(', ')})`);
      if (typeof o.name !== 'string' || o.name === '') errors.push(`${at}.name must be the callee as written, e.g. "track" or "analytics.track"`);
      if (o.kind !== undefined && o.kind !== 'custom_event' && o.kind !== 'screen_view') errors.push(`${at}.kind must be "custom_event" or "screen_view"`);
      for (const k of ['nameArg', 'attributesArg', 'typeArg']) if (o[k] !== undefined && !Number.isInteger(o[k])) errors.push(`${at}.${k} must be an argument index`);
      if (o.type !== undefined && typeof o.type !== 'string' && typeof o.type !== 'number') errors.push(`${at}.type must be a custom event type such as "navigation"`);
      if (typeof o.name === 'string' && o.name !== '') wrappers.push(o as unknown as WrapperSetting);
    });
  }
  return {
    settings: {
      plan: s.plan as DataplanSettings['plan'], version: s.version as number | undefined, wrappers,
      strictTypes: s.strictTypes as boolean | undefined, followImports: s.followImports as boolean | undefined,
    },
    errors,
  };
}
