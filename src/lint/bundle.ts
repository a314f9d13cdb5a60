/**
 * What dist/eslint-bundle.cjs exports (scripts/bundle-plugin.mjs bundles this file): the plugin, and for the
 * entry's compile cache (entry.ts), the hook told after each analysed file. Users import `dataplan/eslint`
 * (entry.ts), whose only export is the plugin.
 */
export { default } from './index.js';
export { onAnalysed } from './analysis.js';
