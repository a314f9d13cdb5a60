export const WORK: string;
export function makePlan(customEvents?: number, screens?: number): Record<string, unknown>;
export function writeWorkload(file: string, batches?: number, customEvents?: number, screens?: number): string;
export function ensureWorkload(batches?: number): { planFile: string; dataFile: string };
