/**
 * The package's identity, read once from package.json: its version and where it lives. Every link
 * to the project (rule docs, SARIF `informationUri`) is derived from `repository` here.
 */
import { createRequire } from 'node:module';

interface PackageJson {
  name: string;
  version: string;
  repository: string | { url: string };
}

const pkg = createRequire(import.meta.url)('../package.json') as PackageJson;

export const PACKAGE_NAME = pkg.name;
export const PACKAGE_VERSION = pkg.version;

/** `https://github.com/OWNER/NAME` from package.json `repository` (`git+https://….git`, or `github:OWNER/NAME`). */
export function repositoryUrl(repository: PackageJson['repository'] = pkg.repository): string {
  const raw = typeof repository === 'string' ? repository : repository.url;
  const short = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(raw);
  if (short) return `https://github.com/${short[1].replace(/\.git$/, '')}`;
  return raw.replace(/^git\+/, '').replace(/^git:\/\//, 'https://').replace(/^ssh:\/\/git@/, 'https://').replace(/\.git$/, '');
}

export const REPOSITORY_URL = repositoryUrl();

/** The page of a file in the repository, e.g. `docs/rules/no-unplanned-event.md`. */
export function docsPage(path: string): string {
  return `${REPOSITORY_URL}/blob/main/${path}`;
}
