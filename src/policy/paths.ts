/**
 * Where policy files are found when a command is not given `--policies`: the `policies/` folder shipped with the
 * yibao package (next to `src/`), so commands work from any working folder. A region's own folder is given with
 * `--policies DIR` (see policies/README.md and `yibao init REGION`).
 */
import { fileURLToPath } from 'node:url';

export const PACKAGE_POLICIES_DIR = fileURLToPath(new URL('../../policies', import.meta.url));

/** The policy folder to use: the one asked for, else the package's. */
export function policiesDir(asked?: string): string {
  return asked && asked.length > 0 ? asked : PACKAGE_POLICIES_DIR;
}
