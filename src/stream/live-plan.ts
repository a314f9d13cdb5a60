/** The plan the receiver judges with: loaded once, re-checked and swapped in when its file changes. */
import { watch, type FSWatcher } from 'chokidar';
import { InputError } from '../plan/index.js';
import { problemLine } from '../report/format.js';
import { loadPlan, type BatchResult, type CompiledPlan, type ValidateOptions } from '../validate/index.js';
import type { PlanInfo } from './types.js';

export interface LivePlanOptions {
  /** Judge every batch with this version. */
  version?: number;
  /** Judge batches the platform would skip (no plan context, another plan). */
  force?: boolean;
  strictTypes?: boolean;
}

function describe(err: unknown): string {
  return err instanceof InputError ? `${err.where}: ${err.message}` : (err as Error)?.message ?? String(err);
}

function errorCount(p: CompiledPlan): number {
  return p.problems.filter((x) => x.severity === 'error').length;
}

function versionProblem(p: CompiledPlan, version: number | undefined): string | undefined {
  if (version === undefined || p.getVersion(version)) return undefined;
  return `${p.file} ${p.noVersion(version)}`;
}

export class LivePlan {
  private plan: CompiledPlan;
  private loadedAt = new Date().toISOString();
  private reloads = 0;
  private error: PlanInfo['error'] = null;
  private watcher?: FSWatcher;
  private readonly opts: ValidateOptions;

  /** Throws (InputError or Error) when the plan cannot be used at all; the command reports it and exits 2. */
  constructor(readonly file: string, readonly options: LivePlanOptions = {}) {
    this.plan = loadPlan(file);
    const bad = versionProblem(this.plan, options.version);
    if (bad) throw new Error(bad);
    this.opts = { version: options.version, force: options.force, strictTypes: options.strictTypes };
  }

  get current(): CompiledPlan {
    return this.plan;
  }

  /** The options every batch is judged with (ingest workers judge with the same). */
  get validateOptions(): ValidateOptions {
    return this.opts;
  }

  validate(batch: unknown): BatchResult {
    return this.plan.validateBatch(batch, this.opts);
  }

  info(): PlanInfo {
    const p = this.plan;
    const errors = errorCount(p);
    return {
      file: p.file,
      id: p.id ?? null,
      name: p.name ?? null,
      versions: p.versions.filter((v) => v.version.loaded).map((v) => ({ version: v.version.version ?? null, environment: v.version.environment ?? null })),
      version: this.options.version ?? null,
      force: this.options.force === true,
      loaded_at: this.loadedAt,
      reloads: this.reloads,
      problems: { errors, warnings: p.problems.length - errors },
      error: this.error,
    };
  }

  /**
   * Re-read the file. A plan that cannot be loaded, lacks the pinned version, or has errors the current
   * plan does not, is refused: the last good plan stays and the error is kept for the UI.
   */
  reload(): { ok: boolean; message?: string } {
    const at = new Date().toISOString();
    let next: CompiledPlan;
    try {
      next = loadPlan(this.file);
    } catch (err) {
      return this.refuse(describe(err), at);
    }
    const bad = versionProblem(next, this.options.version);
    if (bad) return this.refuse(bad, at);
    const errors = next.problems.filter((x) => x.severity === 'error');
    if (errors.length > 0 && errorCount(this.plan) === 0) {
      return this.refuse(`${problemLine(errors[0])}${errors.length > 1 ? ` (and ${errors.length - 1} more plan errors)` : ''}`, at);
    }
    this.plan = next;
    this.loadedAt = at;
    this.reloads++;
    this.error = null;
    return { ok: true };
  }

  private refuse(message: string, at: string): { ok: false; message: string } {
    this.error = { message: `${message}; keeping the plan loaded at ${this.loadedAt}`, at };
    return { ok: false, message: this.error.message };
  }

  /** Watch the plan file; `onChange` runs after every reload attempt. Resolves when the watcher is ready. */
  watch(onChange: (result: { ok: boolean; message?: string }) => void): Promise<void> {
    const w = watch(this.file, { ignoreInitial: true, awaitWriteFinish: { stabilityThreshold: 60, pollInterval: 20 } });
    this.watcher = w;
    const again = () => onChange(this.reload());
    w.on('change', again);
    w.on('add', again);
    w.on('unlink', () => onChange(this.refuse(`${this.file} was removed`, new Date().toISOString())));
    w.on('error', (err) => onChange(this.refuse(`watching ${this.file}: ${describe(err)}`, new Date().toISOString())));
    return new Promise((resolve) => w.once('ready', () => resolve()));
  }

  async close(): Promise<void> {
    await this.watcher?.close();
    this.watcher = undefined;
  }
}
