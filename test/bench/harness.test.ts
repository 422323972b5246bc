/**
 * The benchmark harness's own logic (it reports, it gates nothing, so nothing here is timed): the statistics,
 * the resource count it uses to check that construct and raw declare the same pieces, the benchmark's input
 * staying a valid spec, and the rendering of results into the table with ratios.
 */
import { validateSpec } from '../../constructs/core/validate';
import { countTerraformResources } from '../../bench/cases/terraform-json';
import { markdown, type Results } from '../../bench/report';
import { benchAssignments, benchSpec } from '../../bench/spec';
import { ratio, relativeSpread, spread } from '../../bench/stats';

describe('spread', () => {
  it.each([
    { values: [3, 1, 2], median: 2, min: 1, max: 3 },
    { values: [4, 1, 3, 2], median: 2.5, min: 1, max: 4 },
    { values: [7], median: 7, min: 7, max: 7 },
  ])('gives the median, min and max of $values', ({ values, median, min, max }) => {
    expect(spread(values)).toEqual({ median, min, max, samples: values.length });
  });

  it('has nothing to say about no samples (a skipped case)', () => {
    expect(spread([])).toBeUndefined();
  });
});

describe('ratio', () => {
  it('divides medians, rounded to two decimals', () => {
    expect(ratio(spread([120, 130, 125]), spread([100, 101, 99]))).toBe(1.25);
  });

  it('is undefined when either side was skipped', () => {
    expect(ratio(spread([1]), undefined)).toBeUndefined();
    expect(ratio(undefined, spread([1]))).toBeUndefined();
  });
});

describe('relativeSpread', () => {
  it('is how far the slowest sample is above the fastest (a fast and a slow group of runs)', () => {
    expect(relativeSpread(spread([1018, 1330, 1345, 1061]))).toBeCloseTo(0.321, 3);
    expect(relativeSpread(spread([900, 900]))).toBe(0);
    expect(relativeSpread(undefined)).toBe(0);
  });
});

describe('countTerraformResources', () => {
  it('counts each block once and a for_each block once per key', () => {
    const json = JSON.stringify({
      resource: {
        azuread_app_role_assignment: { a: { for_each: { x: {}, y: {}, z: {} } } },
        terraform_data: { s1: {}, s2: {} },
      },
      data: { external: { e: {} } },
    });
    expect(countTerraformResources(json)).toBe(6);
  });

  it('counts a for_each over an expression (not a literal map) once', () => {
    const json = JSON.stringify({ resource: { t: { r: { for_each: '${var.m}' } } } });
    expect(countTerraformResources(json)).toBe(1);
  });
});

describe('the benchmark input', () => {
  it.each([1, 7])('is a valid spec with %i distinct assignments', (n) => {
    const spec = benchSpec(n);
    expect(
      validateSpec({ ...spec, secretToken: '${var.token}' }, { isUnresolved: (v) => v === '${var.token}' }),
    ).toEqual([]);
    const ids = Object.values(benchAssignments(n)).map((a) => a.principalObjectId);
    expect(new Set(ids).size).toBe(n);
  });
});

describe('markdown', () => {
  const spreadOf = (median: number) => ({ median, min: median, max: median, samples: 1 });
  const results: Results = {
    schema: 1,
    date: '2026-01-01T00:00:00.000Z',
    durationS: 1,
    machine: { platform: 'linux', cpus: 2, cpuModel: 'cpu', memoryGb: 8, loadAverageStart: [0], loadAverageEnd: [0] },
    node: 'v20.0.0',
    versions: { cdktf: '0.21.0', '@pulumi/pulumi': '3.248.0' },
    method: {},
    cliBundle: { bytes: 1, prepMs: 1 },
    cases: [
      {
        case: 'cdktf-construct',
        engine: 'cdktf',
        kind: 'construct',
        label: '',
        n: 1000,
        wallMs: spreadOf(1300),
        maxRssMb: spreadOf(110),
        phasesMs: {},
        samples: [],
        notes: [],
      },
      {
        case: 'cdktf-raw',
        engine: 'cdktf',
        kind: 'raw',
        label: '',
        n: 1000,
        wallMs: spreadOf(1000),
        maxRssMb: spreadOf(100),
        phasesMs: {},
        samples: [],
        notes: [],
      },
      {
        case: 'pulumi-component',
        engine: 'pulumi',
        kind: 'construct',
        label: '',
        n: 10000,
        phasesMs: {},
        samples: [],
        notes: ['skipped (--no-pulumi-10k)'],
      },
    ],
    comparisons: [{ engine: 'cdktf', n: 1000, wallRatio: 1.3, rssRatio: 1.1, cpuRatio: 1.05 }],
    growth: [],
    targets: [
      {
        name: 'CDKTF construct/raw wall time at N=1,000',
        measured: 1.3,
        measuredCpu: 1.05,
        limit: 1.2,
        unit: '×',
        verdict: 'FAIL',
      },
    ],
    notes: [],
  };

  it('prints each comparison with its medians and ratios', () => {
    expect(markdown(results)).toContain(
      '| CDKTF | 1,000 | 1+1 | 1.30 s (1.30–1.30) | 1.00 s (1.00–1.00) | **1.30** | 110 MB (110–110) | 100 MB (100–100) | **1.10** | 1.05 |',
    );
  });

  it('prints the verdict of each target and why a case was skipped', () => {
    const text = markdown(results);
    expect(text).toContain('| CDKTF construct/raw wall time at N=1,000 | 1.3 | 1.2 | FAIL | 1.05 |');
    expect(text).toContain('pulumi-component N=10,000: skipped (--no-pulumi-10k)');
  });
});
