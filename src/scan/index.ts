export { scanCoverage, type ScanResult, type ScanSummary, type PointCoverage, type CallSite, type UnplannedCall, type UnverifiableCall, type CallViolation, type CoverageOptions } from './coverage.js';
export { loadProjectFiles, ProjectError, SOURCE_EXTENSIONS, DEFAULT_EXCLUDES, type ProjectFiles } from './project.js';
export { formatPretty, formatJson, formatMarkdown } from './format.js';
export { formatGithub, scanFindings, SCAN_RULES, type ScanCategory } from './ci-format.js';
export { progressBar, type Progress } from './progress.js';
export { generateTracking, type CodegenOptions, type CodegenResult } from './codegen/index.js';
