/** Counts what a synthesized stack declares, so that the harness can check construct and raw declare the same. */

interface Block {
  readonly for_each?: unknown;
}

/** Resource and data blocks, a `for_each` block counting once per key of its (literal) map. */
export function countTerraformResources(cdkTfJson: string): number {
  const json = JSON.parse(cdkTfJson) as {
    resource?: Record<string, Record<string, Block>>;
    data?: Record<string, Record<string, Block>>;
  };
  let count = 0;
  for (const section of [json.resource ?? {}, json.data ?? {}]) {
    for (const blocks of Object.values(section)) {
      for (const block of Object.values(blocks)) {
        const each = block.for_each;
        count += typeof each === 'object' && each !== null ? Object.keys(each).length : 1;
      }
    }
  }
  return count;
}
