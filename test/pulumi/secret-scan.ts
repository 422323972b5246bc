/**
 * Where secrets are in what Pulumi holds (registered inputs, the state a mock answered, the mock monitor's registered
 * resources): each in every form of test/secret-forms.ts, told apart by whether a Pulumi secret wraps it. Under
 * mocks the values arrive as the monitor receives them: a secret as `{ [SECRET_SIG]: '1b47…', value }`
 * (@pulumi/pulumi runtime/rpc.js, `serializeSecretValue`), everything else plain.
 */
import { secretForms } from '../secret-forms';
import { isSecretWrapper } from './mocks';

/** What {@link scanSecrets} found, each as `where` (a path into the value) and, for a leak, `secret #i form`. */
export interface SecretScan {
  /** A form of a secret outside every secret wrapper. */
  readonly leaks: string[];
  /**
   * A form of a secret inside a secret wrapper but not as its whole value: a secret text that holds it, or an object
   * made secret as a whole (Pulumi moves secretness up to the nearest value it can mark, runtime/rpc.js
   * `deserializeProperty`).
   */
  readonly inSecret: string[];
  /** Secret wrappers whose whole value is a secret, as it is. */
  readonly wrapped: string[];
  /** Secret wrappers whose whole value is a secret's SHA-256, in one of its forms. */
  readonly hashes: string[];
}

const HASH_FORMS = ['SHA-256 (hex, lower case)', 'SHA-256 (hex, upper case)', 'SHA-256 (base64)'];

/**
 * Scans `value` (a JSON-like tree) for each of `secrets` in every form `formsOf` gives (by default all of
 * test/secret-forms.ts).
 */
export function scanSecrets(
  where: string,
  value: unknown,
  secrets: readonly string[],
  formsOf: (secret: string) => Record<string, string> = secretForms,
): SecretScan {
  const forms = secrets.map((s) => Object.entries(formsOf(s)));
  const scan: SecretScan = { leaks: [], inSecret: [], wrapped: [], hashes: [] };
  const found = (at: string, text: string): string[] =>
    forms.flatMap((f, i) =>
      f.filter(([, needle]) => text.includes(needle)).map(([form]) => `${at}: secret #${i} ${form}`),
    );

  const walk = (v: unknown, at: string, inSecret: boolean): void => {
    if (isSecretWrapper(v)) {
      const inner = v.value;
      if (typeof inner === 'string') {
        const i = secrets.indexOf(inner);
        if (i >= 0) return void scan.wrapped.push(`${at} (secret #${i})`);
        const h = forms.findIndex((f) => f.some(([form, needle]) => HASH_FORMS.includes(form) && needle === inner));
        if (h >= 0) return void scan.hashes.push(`${at} (secret #${h})`);
      }
      return walk(inner, at, true);
    }
    const leak = (text: string, path: string): void => {
      (inSecret ? scan.inSecret : scan.leaks).push(...found(path, text));
    };
    if (typeof v === 'string') leak(v, at);
    else if (Array.isArray(v)) v.forEach((e, i) => walk(e, `${at}[${i}]`, inSecret));
    else if (typeof v === 'object' && v !== null) {
      for (const [k, e] of Object.entries(v)) {
        leak(k, `${at} (key)`);
        walk(e, `${at}.${k}`, inSecret);
      }
    }
  };
  walk(value, where, false);
  return scan;
}

/**
 * What the mock monitor holds for each registered resource, as plain values: a component's outputs arrive there as
 * a protobuf Struct (`registerResourceOutputs` in @pulumi/pulumi runtime/mocks.js), read back with `toJavaScript`.
 */
export async function monitorResources(): Promise<{ urn: string; state: unknown }[]> {
  const { runtime } = await import('@pulumi/pulumi');
  const monitor = (
    runtime as unknown as {
      getMonitor(): { getRegisteredResources(): Map<string, { urn: string; state: unknown }> };
    }
  ).getMonitor();
  return [...monitor.getRegisteredResources().values()].map(({ urn, state }) => ({
    urn,
    state: isStruct(state) ? state.toJavaScript() : state,
  }));
}

function isStruct(value: unknown): value is { toJavaScript(): unknown } {
  return typeof (value as { toJavaScript?: unknown } | null)?.toJavaScript === 'function';
}
