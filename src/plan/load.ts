/** Read a plan file in any shape users have and normalise it to versions of data points. */
import { InputError, escapePointer, isObject, own, readJsonFile } from './json.js';
import {
  CUSTOM_EVENT_TYPES, MATCHABLE_TYPES, NEVER_MATCHED_TYPES, PRODUCT_ACTIONS, PROMOTION_ACTIONS, TRANSITION_TYPES, UNPLANNABLE_EVENT_TYPES,
  formatMatchKey, pointMatchKey,
} from './match.js';
import { closest } from './similar.js';
import type { ActivatedEnvironment, BlockSettings, PlanPoint, PlanProblem, PlanShape, PlanSource, PlanVersion } from './types.js';

/** A plan that cannot be used at all. */
export class PlanError extends InputError {
  override name = 'PlanError';
}

const NO_BLOCKING: BlockSettings = { events: false, eventAttributes: false, userAttributes: false, userIdentities: false };

export function readPlan(file: string): PlanSource {
  return normalisePlan(readJsonFile(file), file);
}

/** Normalise an already-parsed plan document (any shape). */
export function normalisePlan(json: unknown, file: string): PlanSource {
  const problems: PlanProblem[] = [];
  if (Array.isArray(json)) {
    throw new PlanError(
      'this is a list of data plans (the output of GET …/plans or `mp planning:data-plans:fetch-all`), whose versions carry no data points; ' +
        'expected one plan: fetch a version with `mp planning:data-plan-versions:fetch` or download it from the UI',
      file, '',
    );
  }
  if (!isObject(json)) throw new PlanError(`expected a data plan object, found ${json === null ? 'null' : typeof json}`, file, '');

  let root = json;
  let base = '';
  let blok: BlockSettings | undefined;
  let shape: PlanShape | undefined;
  if (isObject(own(root, 'dtpn'))) {
    const dtpn = own(root, 'dtpn') as Record<string, unknown>;
    blok = readBlok(own(dtpn, 'blok'));
    if (!isObject(own(dtpn, 'vers'))) throw new PlanError('dtpn wrapper has no "vers" object (expected the plan version the SDK received)', file, '/dtpn/vers');
    root = own(dtpn, 'vers') as Record<string, unknown>;
    base = '/dtpn/vers';
    shape = 'sdk_config';
  } else if (isObject(own(root, 'document')) && own(root, 'batch') !== undefined) {
    root = own(root, 'document') as Record<string, unknown>;
    base = '/document';
    shape = 'validate_request';
  }

  const id = typeof own(root, 'data_plan_id') === 'string' ? (own(root, 'data_plan_id') as string) : undefined;
  const name = typeof own(root, 'data_plan_name') === 'string' ? (own(root, 'data_plan_name') as string) : undefined;
  const versions: PlanVersion[] = [];

  const list = own(root, 'data_plan_versions');
  if (Array.isArray(list)) {
    shape ??= 'data_plan';
    list.forEach((v, i) => {
      const at = `${base}/data_plan_versions/${i}`;
      if (!isObject(v)) {
        problems.push(problem('error', 'invalid_version', `data_plan_versions[${i}] is not an object`, file, at, 'a plan version object'));
        return;
      }
      const read = readVersion(v, at, file, problems, blok);
      const twin = read.version === undefined ? undefined : versions.find((x) => x.version === read.version);
      // Two entries with one number: a batch naming it, or the latest-active rule, could pick either.
      if (twin) problems.push(problem('error', 'duplicate_version', `version ${read.version} is listed twice (also at ${twin.pointer.replace(/\/version_document$/, '')}); the first is used`, file, `${at}/version`, 'each version number once'));
      else versions.push(read);
    });
    if (!versions.some((v) => v.loaded)) {
      throw new PlanError(
        list.length === 0
          ? 'the plan has no versions (expected data_plan_versions with at least one version_document)'
          : 'no version of this plan carries a version_document (this looks like list output, which omits data points); fetch the plan or a version with its document',
        file, `${base}/data_plan_versions`,
      );
    }
  } else if (own(root, 'version_document') !== undefined) {
    shape ??= own(root, 'version') === undefined && id === undefined ? 'builder_export' : 'plan_version';
    const v = readVersion(root, base, file, problems, blok);
    if (!v.loaded) throw new PlanError('version_document is not an object with data_points', file, `${base}/version_document`, );
    versions.push(v);
  } else if (own(root, 'data_points') !== undefined) {
    shape ??= 'version_document';
    if (!Array.isArray(own(root, 'data_points'))) throw new PlanError('data_points is not an array', file, `${base}/data_points`);
    versions.push(readDocument(root, base, file, problems, { blocking: blok ?? settingsBlocking(own(root, 'settings')) }));
  } else {
    throw new PlanError(
      'not a data plan: expected a full plan (data_plan_versions), a plan version (version_document), a version document (data_points) or an SDK config (dtpn)',
      file, base,
    );
  }
  return { file, shape: shape ?? 'data_plan', id, name, versions, problems };
}

function readBlok(v: unknown): BlockSettings {
  if (!isObject(v)) return NO_BLOCKING;
  return { events: own(v, 'ev') === true, eventAttributes: own(v, 'ea') === true, userAttributes: own(v, 'ua') === true, userIdentities: own(v, 'id') === true };
}

function settingsBlocking(settings: unknown): BlockSettings {
  const actions = isObject(settings) ? own(settings, 'validation_actions') : undefined;
  if (!isObject(actions)) return NO_BLOCKING;
  return {
    events: own(actions, 'event') === 'drop_event',
    eventAttributes: own(actions, 'event_attribute') === 'drop_attribute',
    userAttributes: own(actions, 'user_attribute') === 'drop_attribute',
    userIdentities: own(actions, 'user_identity') === 'drop_attribute',
  };
}

function readVersion(v: Record<string, unknown>, at: string, file: string, problems: PlanProblem[], blok?: BlockSettings): PlanVersion {
  const num = own(v, 'version');
  const env = own(v, 'activated_environment');
  const meta: Partial<PlanVersion> = {
    version: typeof num === 'number' && Number.isInteger(num) && num > 0 ? num : undefined,
    // A value that is none of the three is read as "none", as the warning below says: such a version is not active.
    environment: env === 'none' || env === 'development' || env === 'production' ? (env as ActivatedEnvironment) : env !== undefined && env !== null ? 'none' : undefined,
    description: typeof own(v, 'version_description') === 'string' ? (own(v, 'version_description') as string) : undefined,
  };
  if (num !== undefined && meta.version === undefined) {
    problems.push(problem('error', 'invalid_version', `version is ${JSON.stringify(num)}`, file, `${at}/version`, 'a positive integer'));
  }
  if (env !== undefined && env !== null && env !== meta.environment) {
    problems.push(problem('warning', 'invalid_environment', `activated_environment is ${JSON.stringify(env)}; treating the version as not active`, file, `${at}/activated_environment`, '"none", "development" or "production"'));
  }
  const doc = own(v, 'version_document');
  if (!isObject(doc) || !Array.isArray(own(doc, 'data_points'))) {
    if (doc !== undefined && doc !== null) {
      problems.push(problem('error', 'missing_data_points', 'version_document has no data_points array', file, `${at}/version_document`, 'an object with a data_points array'));
    }
    return { ...meta, pointer: `${at}/version_document`, loaded: false, points: [], blocking: NO_BLOCKING };
  }
  return readDocument(doc, `${at}/version_document`, file, problems, { ...meta, blocking: blok ?? settingsBlocking(own(doc, 'settings')) });
}

function readDocument(
  doc: Record<string, unknown>, at: string, file: string, problems: PlanProblem[], meta: Partial<PlanVersion> & { blocking: BlockSettings },
): PlanVersion {
  const raw = own(doc, 'data_points') as unknown[];
  const points: PlanPoint[] = [];
  const seen = new Map<string, PlanPoint>();
  raw.forEach((p, i) => {
    const pp = `${at}/data_points/${i}`;
    const point = readPoint(p, i, pp, file, problems);
    if (!point) return;
    points.push(point);
    if (point.key) {
      const display = JSON.stringify([point.key.type, point.key.sub, point.key.name]);
      const first = seen.get(display);
      if (first) {
        problems.push(problem('warning', 'duplicate_match_key',
          `duplicate match key ${point.matchKey} (also at ${first.pointer}); both schemas apply`, file, `${pp}/match`, 'one data point per match key'));
      } else seen.set(display, point);
    }
  });
  return { ...meta, pointer: at, loaded: true, points };
}

const KNOWN_TYPES: readonly string[] = [...MATCHABLE_TYPES, ...NEVER_MATCHED_TYPES];

function readPoint(p: unknown, index: number, at: string, file: string, problems: PlanProblem[]): PlanPoint | undefined {
  if (!isObject(p)) {
    problems.push(problem('error', 'invalid_data_point', `data point is ${p === null ? 'null' : typeof p}`, file, at, 'an object with match and validator'));
    return undefined;
  }
  const description = typeof own(p, 'description') === 'string' ? (own(p, 'description') as string) : '';
  const match = own(p, 'match');
  if (!isObject(match)) {
    problems.push(problem('error', 'missing_match', 'data point has no match object; it is ignored', file, `${at}/match`, 'match: { type, criteria }'));
    return undefined;
  }
  const type = own(match, 'type');
  const criteriaRaw = own(match, 'criteria');
  const criteria = isObject(criteriaRaw) ? criteriaRaw : {};
  const point: PlanPoint = { index, pointer: at, description, matchType: typeof type === 'string' ? type : '', criteria, matchKey: '' };

  if (typeof type !== 'string') {
    problems.push(problem('error', 'unknown_match_type', 'match.type is missing; the point matches nothing', file, `${at}/match/type`, `one of ${MATCHABLE_TYPES.join(', ')}`));
  } else if (!KNOWN_TYPES.includes(type)) {
    const near = closest(type, KNOWN_TYPES);
    problems.push(problem('error', 'unknown_match_type',
      `unknown match type "${type}"${near ? `; did you mean "${near.value}"?` : ''}; the point matches nothing`, file, `${at}/match/type`,
      `one of ${MATCHABLE_TYPES.join(', ')}`));
  } else if ((NEVER_MATCHED_TYPES as readonly string[]).includes(type)) {
    const why = (UNPLANNABLE_EVENT_TYPES as readonly string[]).includes(type) ? `${type} events cannot be planned` : 'it exists only in the models package';
    problems.push(problem('warning', 'unmatched_match_type', `match type "${type}" never matches any event (${why}); the point checks nothing`, file, `${at}/match/type`, `one of ${MATCHABLE_TYPES.join(', ')}`));
  } else {
    checkCriteria(type, criteria, `${at}/match/criteria`, file, problems);
    point.key = pointMatchKey({ type, criteria });
    if (point.key) point.matchKey = formatMatchKey(point.key);
  }

  const validator = own(p, 'validator');
  if (!isObject(validator)) {
    problems.push(problem('error', 'missing_validator', 'data point has no validator; its events count as planned but nothing is checked', file, `${at}/validator`, 'validator: { type: "json_schema", definition: {…} }'));
  } else if (own(validator, 'type') !== 'json_schema') {
    problems.push(problem('error', 'unsupported_validator',
      `validator.type is ${JSON.stringify(own(validator, 'type'))}; its events count as planned but nothing is checked`, file, `${at}/validator/type`, '"json_schema"'));
  } else {
    const def = own(validator, 'definition');
    if (isObject(def)) point.definition = def;
    else if (def !== undefined && def !== null && def !== true) {
      problems.push(problem('error', 'invalid_schema', `validator.definition is ${Array.isArray(def) ? 'an array' : typeof def}; nothing is checked for this point`, file, `${at}/validator/definition`, 'a JSON Schema object'));
    } else if (def === undefined || def === null) {
      problems.push(problem('error', 'missing_validator', 'validator has no definition; its events count as planned but nothing is checked', file, `${at}/validator/definition`, 'a JSON Schema object'));
    }
  }
  return point;
}

function checkCriteria(type: string, c: Record<string, unknown>, at: string, file: string, problems: PlanProblem[]): void {
  const need = (key: string, allowed?: readonly string[], also?: (v: unknown) => boolean) => {
    const v = own(c, key);
    if (typeof v !== 'string' && !(also && also(v))) {
      problems.push(problem('error', 'invalid_criteria', `match.criteria.${key} is ${v === undefined ? 'missing' : JSON.stringify(v)}; the point matches nothing`, file, `${at}/${escapePointer(key)}`,
        allowed ? `one of ${allowed.join(', ')}` : 'a string'));
      return;
    }
    if (allowed && typeof v === 'string' && !allowed.includes(v)) {
      const near = closest(v, allowed);
      problems.push(problem('error', 'invalid_criteria',
        `match.criteria.${key} is "${v}"${near ? `; did you mean "${near.value}"?` : ''} (no event can carry this value)`, file, `${at}/${escapePointer(key)}`,
        `one of ${allowed.join(', ')}`));
    }
  };
  switch (type) {
    case 'custom_event':
      need('event_name');
      need('custom_event_type', CUSTOM_EVENT_TYPES);
      break;
    case 'screen_view':
      need('screen_name');
      break;
    case 'product_action':
      need('action', PRODUCT_ACTIONS);
      break;
    case 'promotion_action':
      need('action', PROMOTION_ACTIONS, (v) => v === 1 || v === 2);
      break;
    case 'application_state_transition':
      need('application_transition_type', TRANSITION_TYPES);
      break;
  }
}

export function problem(severity: PlanProblem['severity'], code: string, message: string, file: string, at: string, expected?: string): PlanProblem {
  return { severity, code, message, file, pointer: at, ...(expected ? { expected } : {}) };
}
