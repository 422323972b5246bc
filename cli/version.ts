import * as fs from 'node:fs';
import * as path from 'node:path';

const PACKAGE_NAME = 'rollbar-provisioning';

/**
 * This package's version, from the nearest package.json named rollbar-provisioning above `start` (the sources in
 * a checkout, lib/cli in an installed package, dist/ for its bundle); undefined for a copy of the bundle outside
 * the package (the one Terraform runs from its stack output).
 */
export function packageVersion(start: string = __dirname): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (manifest.name === PACKAGE_NAME && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // No manifest here, or not readable: keep looking upwards.
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}
