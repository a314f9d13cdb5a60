export const WORK: string;
export function makePlan(customEvents?: number, screens?: number): Record<string, unknown>;
export function writeWorkload(file: string, batches?: number, customEvents?: number, screens?: number, mix?: { lean: boolean; bad: number; unplanned: number; tier: number }): string;
export function ensureWorkload(batches?: number): { planFile: string; dataFile: string };
export const ISSUE_MIX: { lean: boolean; bad: number; unplanned: number; tier: number };
export function ensureIssueWorkload(batches?: number): { planFile: string; dataFile: string };
