export type { Reporter, ResultEntry, RunInfo, Summary, Write } from './types.js';
export { prettyReporter } from './pretty.js';
export { jsonReporter, jsonResult, jsonInputError } from './json.js';
export { junitReporter } from './junit.js';
export { sarifReporter } from './sarif.js';
export { githubReporter } from './github.js';
export { locatePointer } from './locate.js';
export { problemLine, inputErrorLine, palette } from './format.js';

export { FORMATS, createReporter, type Format, type ReporterOptions } from './create.js';
export { githubCommand, sarifLog, sarifText, planProblemFinding, inputErrorFinding, locateInFile, ciPath, type CiFinding, type CiLevel, type CiRule } from './ci.js';
