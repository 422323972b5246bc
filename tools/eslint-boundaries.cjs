// @ts-check
/**
 * The repository's layering, enforced by ESLint (used by eslint.config.mjs, tested by test/tools/eslint-boundaries).
 * Each folder of the library may import only the folders listed for it; README's "Architecture" section says why.
 * Relative imports are resolved against the importing file, so `../graph` means what it points to, not a name.
 */
const path = require('node:path');

const ENGINE_PACKAGES = ['cdktf', 'constructs', '@cdktf/', '@pulumi/'];
const CDKTF_PACKAGES = ['cdktf', 'constructs', '@cdktf/'];
const PULUMI_PACKAGES = ['@pulumi/'];

/**
 * Folder -> the folders it may import from, the packages it may not import, and why.
 * @type {Record<string, { may: string[]; packages: string[]; why: string }>}
 */
const LAYERS = {
  'constructs/core': {
    may: ['constructs/core'],
    packages: ENGINE_PACKAGES,
    why: 'core is the pure model: no engine, no Graph, no I/O; put engine code in constructs/cdktf or constructs/pulumi, Graph calls in constructs/graph',
  },
  'constructs/config': {
    may: ['constructs/config', 'constructs/core'],
    packages: ENGINE_PACKAGES,
    why: 'the configuration loader serves both engines and the CLI, so it knows neither engine',
  },
  'constructs/graph': {
    may: ['constructs/graph', 'constructs/core'],
    packages: ENGINE_PACKAGES,
    why: 'the Graph calls run under both engines and the CLI, so they know no engine',
  },
  'constructs/bundle': {
    may: ['constructs/bundle', 'constructs/core'],
    packages: ENGINE_PACKAGES,
    why: 'bundling is tooling that the engines ask for a path; it knows no engine, and reports with core errors',
  },
  'constructs/cdktf': {
    may: ['constructs/cdktf', 'constructs/core', 'constructs/bundle'],
    packages: PULUMI_PACKAGES,
    why: 'the CDKTF binding only translates the core model; what both engines need belongs in core',
  },
  'constructs/pulumi': {
    may: ['constructs/pulumi', 'constructs/core', 'constructs/graph', 'constructs/bundle'],
    packages: CDKTF_PACKAGES,
    why: 'the Pulumi binding only translates the core model; what both engines need belongs in core',
  },
  cli: {
    may: ['cli', 'constructs/core', 'constructs/config', 'constructs/graph'],
    packages: ENGINE_PACKAGES,
    why: 'the CLI runs without any engine installed (Terraform runs it as a bundle); it imports library folders only',
  },
  stacks: {
    may: ['stacks', 'constructs/core', 'constructs/config', 'constructs/cdktf', 'constructs/pulumi'],
    packages: [],
    why: "the repository's apps use the library; nothing of bench/ or test/ ships in them",
  },
};

/** The layer a repository-relative path belongs to (the longest folder of LAYERS it is in), else its top folder. */
function layerOf(rel) {
  const parts = rel.split('/');
  const two = parts.slice(0, 2).join('/');
  if (LAYERS[two] !== undefined) return two;
  return parts[0] ?? rel;
}

/** @type {import('eslint').Rule.RuleModule} */
const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'Each folder imports only the folders its layer allows.' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
  },
  create(context) {
    const root = /** @type {{ root?: string }} */ (context.options[0] ?? {}).root ?? context.cwd;
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const from = layerOf(file);
    const layer = LAYERS[from];
    if (layer === undefined) return {};
    /** @param {import('estree').Node} node @param {unknown} source */
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (source.startsWith('.')) {
        const target = path
          .relative(root, path.resolve(path.dirname(context.filename), source))
          .split(path.sep)
          .join('/');
        const to = layerOf(target);
        if (layer.may.includes(to)) return;
        context.report({
          node,
          message: `${from} may import only ${layer.may.join(', ')}: '${source}' is in ${to}. (${layer.why}.)`,
        });
        return;
      }
      const banned = layer.packages.find((p) =>
        p.endsWith('/') ? source.startsWith(p) : source === p || source.startsWith(`${p}/`),
      );
      if (banned !== undefined) {
        context.report({ node, message: `${from} may not import the engine package '${source}'. (${layer.why}.)` });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => check(node, node.source?.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source.value : undefined),
      CallExpression: (node) => {
        const [arg] = node.arguments;
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && arg?.type === 'Literal') {
          check(node, arg.value);
        }
      },
    };
  },
};

/** Library code throws errors with a code (STYLE rule 4): a RollbarProvisioningError, a GraphError. */
const NO_PLAIN_ERROR = {
  selector: "ThrowStatement > NewExpression[callee.name='Error']",
  message:
    'Library code throws an error with a code: RollbarProvisioningError (core/problems.ts) for bad input, GraphError (graph/errors.ts) for Graph and sign-in failures.',
};

/**
 * The flat-config entries: the layer rule for every folder of LAYERS, and no plain `throw new Error` in the
 * library (constructs/, cli/).
 * @param {string} root the repository root
 */
function boundaryConfigs(root) {
  return [
    {
      files: Object.keys(LAYERS).map((f) => `${f}/**/*.ts`),
      plugins: { boundaries: { rules: { layers } } },
      rules: { 'boundaries/layers': ['error', { root }] },
    },
    {
      files: ['constructs/**/*.ts', 'cli/**/*.ts'],
      rules: { 'no-restricted-syntax': ['error', NO_PLAIN_ERROR] },
    },
  ];
}

module.exports = { LAYERS, boundaryConfigs };
