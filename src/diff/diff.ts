/** Compare two plan versions data point by data point. */
import { closest, describeMatchKey, type PlanPoint, type PlanVersion } from '../plan/index.js';
import { diffSchemas, type ChangeClass, type SchemaChangeKind } from './schema-diff.js';

export type ChangeKind = SchemaChangeKind | 'point_removed' | 'point_added' | 'description_changed' | 'blocking_enabled' | 'blocking_disabled' | 'activation_changed';

export interface PlanChange {
  class: ChangeClass;
  kind: ChangeKind;
  /** Display match key (`custom_event:navigation:Navbar Click`); null for version-level changes. */
  match_key: string | null;
  /** Readable subject: `custom_event "Navbar Click" (navigation)`. */
  subject: string;
  /** What inside the data point changed (`custom_attributes.label`); '' for the point itself. */
  path: string;
  message: string;
  /** Pointers into the old and new plan files. */
  old_pointer: string | null;
  new_pointer: string | null;
  before?: unknown;
  after?: unknown;
}

export interface VersionRef {
  file: string;
  plan_id: string | null;
  version: number | null;
  /** Pointer of the version document in its file. */
  pointer: string;
}

export interface PlanDiff {
  old: VersionRef;
  new: VersionRef;
  changes: PlanChange[];
  summary: { breaking: number; compatible: number; points_before: number; points_after: number };
}

function keyOf(p: PlanPoint): string {
  return p.key ? JSON.stringify([p.key.type, p.key.sub, p.key.name]) : `raw:${p.matchType}:${JSON.stringify(p.criteria)}`;
}

function byKey(points: PlanPoint[]): Map<string, PlanPoint[]> {
  const m = new Map<string, PlanPoint[]>();
  for (const p of points) {
    const list = m.get(keyOf(p));
    if (list) list.push(p);
    else m.set(keyOf(p), [p]);
  }
  return m;
}

function subjectOf(p: PlanPoint): string {
  return p.key ? describeMatchKey(p.key) : `${p.matchType || 'data point'} ${JSON.stringify(p.criteria)}`;
}

function display(p: PlanPoint): string | null {
  return p.matchKey || null;
}

/** Event points keep their attributes under `data`; dropping it keeps paths short (`custom_attributes.label`). */
function shortPath(path: string): string {
  return path.startsWith('data.') ? path.slice(5) : path;
}

export function diffVersions(oldV: PlanVersion, newV: PlanVersion, refs: { old: VersionRef; new: VersionRef }): PlanDiff {
  const changes: PlanChange[] = [];
  const before = byKey(oldV.points);
  const after = byKey(newV.points);

  const added = newV.points.filter((p) => (before.get(keyOf(p))?.length ?? 0) <= (after.get(keyOf(p)) ?? []).indexOf(p));
  const addedNames = added.filter((p) => p.key).map((p) => p.key!.name);

  for (const [k, olds] of before) {
    const news = after.get(k) ?? [];
    olds.forEach((o, i) => {
      const n = news[i];
      if (!n) {
        const near = o.key && o.key.name ? closest(o.key.name, addedNames) : undefined;
        changes.push({
          class: 'breaking', kind: 'point_removed', match_key: display(o), subject: subjectOf(o), path: '',
          message: `data point removed: its events are now unplanned${near ? ` (renamed to "${near.value}"?)` : ''}`,
          old_pointer: o.pointer, new_pointer: null,
        });
        return;
      }
      if (o.description !== n.description) {
        changes.push({
          class: 'compatible', kind: 'description_changed', match_key: display(n), subject: subjectOf(n), path: '',
          message: 'description changed', old_pointer: `${o.pointer}/description`, new_pointer: `${n.pointer}/description`, before: o.description, after: n.description,
        });
      }
      for (const c of diffSchemas(o.definition, n.definition)) {
        const path = shortPath(c.path);
        changes.push({
          class: c.class, kind: c.kind, match_key: display(n), subject: subjectOf(n), path,
          message: c.message.replace(`"${c.path}"`, `"${path}"`),
          old_pointer: `${o.pointer}/validator/definition${c.old_at}`, new_pointer: `${n.pointer}/validator/definition${c.new_at}`,
          ...(c.before !== undefined ? { before: c.before } : {}), ...(c.after !== undefined ? { after: c.after } : {}),
        });
      }
    });
  }
  for (const n of added) {
    changes.push({
      class: 'compatible', kind: 'point_added', match_key: display(n), subject: subjectOf(n), path: '',
      message: 'data point added', old_pointer: null, new_pointer: n.pointer,
    });
  }
  versionChanges(oldV, newV, refs, changes);
  const breaking = changes.filter((c) => c.class === 'breaking').length;
  return {
    old: refs.old, new: refs.new, changes,
    summary: { breaking, compatible: changes.length - breaking, points_before: oldV.points.length, points_after: newV.points.length },
  };
}

const BLOCK_WORDS = { events: 'unplanned events', eventAttributes: 'unplanned event attributes', userAttributes: 'unplanned user attributes', userIdentities: 'unplanned user identities' } as const;

function versionChanges(o: PlanVersion, n: PlanVersion, refs: { old: VersionRef; new: VersionRef }, out: PlanChange[]): void {
  for (const k of Object.keys(BLOCK_WORDS) as (keyof typeof BLOCK_WORDS)[]) {
    if (o.blocking[k] === n.blocking[k]) continue;
    out.push({
      class: n.blocking[k] ? 'breaking' : 'compatible', kind: n.blocking[k] ? 'blocking_enabled' : 'blocking_disabled', match_key: null, subject: 'blocking', path: k,
      message: n.blocking[k] ? `${BLOCK_WORDS[k]} are now blocked (dropped before outputs)` : `${BLOCK_WORDS[k]} are no longer blocked`,
      old_pointer: refs.old.pointer, new_pointer: refs.new.pointer,
    });
  }
  if (o.environment !== undefined && n.environment !== undefined && o.environment !== n.environment) {
    out.push({
      class: 'compatible', kind: 'activation_changed', match_key: null, subject: 'activation', path: '',
      message: `activated_environment ${o.environment} → ${n.environment}`, old_pointer: refs.old.pointer, new_pointer: refs.new.pointer, before: o.environment, after: n.environment,
    });
  }
}
