/**
 * The public API report: each entry point that DESIGN.md lists exports exactly these names, by name. A name added
 * here is a promise to every user of the package (removing or renaming it later is a breaking change), so the
 * list changes only on purpose; `npm run docs` (TypeDoc, warnings are errors) checks that every type these names
 * refer to is public too.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

const PUBLIC_NAMES: Record<string, readonly string[]> = {
  'constructs/core/index.ts': [
    'ACCOUNT_NAME_PATTERN',
    'AppRoleSpec',
    'ArgumentNode',
    'AssignmentSpec',
    'AttributeMappingSpec',
    'AttributeNode',
    'CERTIFICATE_WARNING_DAYS',
    'COMPARISON_OPERATORS',
    'CanarySpec',
    'CertificateExpiry',
    'ComparisonNode',
    'ComparisonOperator',
    'Credential',
    'CredentialSettings',
    'DEFAULTS',
    'DEFAULT_ACCESS_FORMS',
    'DEFAULT_SIGNING_CERTIFICATE',
    'DefaultAccessAssignment',
    'EXPORT_DIFFERENCE_KINDS',
    'EXPORT_NOTE_KINDS',
    'EmptyNode',
    'ExportDifference',
    'ExportImports',
    'ExportNote',
    'ExportNoteKind',
    'ExportResult',
    'ExpressionNode',
    'FilterOperator',
    'FunctionNode',
    'GroupMappingPatch',
    'KeyDescription',
    'LiteralNode',
    'MASKED_SECRET_VALUE',
    'MAX_NOTIFICATION_EMAILS',
    'MappingsSpec',
    'MergeOptions',
    'MergeResult',
    'NotificationSpec',
    'ObjectMappingPatch',
    'PROBLEM_CODES',
    'ParseOptions',
    'ParseResult',
    'PortalSnapshot',
    'PrincipalType',
    'Problem',
    'ProblemCode',
    'ProvisioningScope',
    'ROLE_ID_NAMESPACE',
    'ROLLBAR_SAML_IDENTIFIER',
    'ROTATION_STEPS',
    'ResolvedAssignment',
    'ResolvedRole',
    'ResolvedSpec',
    'ResolvedSso',
    'RollbarProvisioningError',
    'RollbarProvisioningSpec',
    'SCHEMA_DIFFERENCE_KINDS',
    'SPEC_DESCRIPTION',
    'SchemaDifference',
    'SchemaDifferenceKind',
    'SchemaToPatchOptions',
    'SchemaToPatchResult',
    'ScopingFilterClause',
    'ScopingFilterGroup',
    'SigningCertificateSpec',
    'Span',
    'SsoSpec',
    'StringNode',
    'ValidateOptions',
    'ValueNode',
    'ValueShape',
    'WARNING_CODES',
    'WarnableSpec',
    'Warning',
    'WarningCode',
    'certificateExpiry',
    'constructIds',
    'exportConfig',
    'federationMetadataUrl',
    'formatProblem',
    'isDefaultAccess',
    'mergeSchema',
    'parseExpression',
    'printExpression',
    'pulumiNames',
    'renderSecrets',
    'resolveSpec',
    'resolveSso',
    'roleId',
    'rollbarSamlUrls',
    'schemaToPatch',
    'specWarnings',
    'ssoRules',
    'validateMappingsPatch',
    'validateSpec',
  ],
  'constructs/config/index.ts': [
    'ConfigCheck',
    'DEFAULT_CONFIG_FILE',
    'EXAMPLE_CONFIG',
    'RollbarConfig',
    'checkConfigFile',
    'checkConfigText',
    'configPath',
    'loadConfig',
    'loadConfigText',
  ],
  'constructs/cdktf/index.ts': ['RollbarProvisioning', 'RollbarProvisioningProps', 'SsoOutputs'],
  'constructs/pulumi/index.ts': [
    'ROLLBAR_PROVISIONING_TYPE',
    'RollbarProvisioning',
    'RollbarProvisioningArgs',
    'RollbarProvisioningError',
    'SsoOutputs',
  ],
  'constructs/graph/index.ts': [
    'CANARY_LAG_WAIT',
    'CANARY_LAG_WAIT_ENV',
    'CLOUDS',
    'CanaryArgs',
    'CanaryResult',
    'Cloud',
    'CredentialSettings',
    'ExecutionSummary',
    'FILTER_OPERATOR_SCHEMA',
    'Field',
    'Fields',
    'GraphClient',
    'GraphClientOptions',
    'GraphEndpoints',
    'GraphError',
    'GraphErrorCode',
    'GraphReadOptions',
    'GraphRequest',
    'JobStatus',
    'LiveMappings',
    'LiveProvisioning',
    'LiveSingleSignOn',
    'MAX_ON_DEMAND_MEMBERS',
    'MappingsArgs',
    'MappingsSpec',
    'NO_CONTENT',
    'ON_DEMAND_TIMEOUT_MS',
    'OnDemandArgs',
    'OnDemandResult',
    'OnDemandStep',
    'OnDemandSubject',
    'PARSE_EXPRESSION_RESPONSE',
    'PlanArgs',
    'PlanResult',
    'ProgressSummary',
    'ProvisioningAction',
    'ProvisioningLogEntry',
    'ProvisioningLogs',
    'ProvisioningLogsArgs',
    'QuarantineSummary',
    'RESTART_SCOPES',
    'RestartResult',
    'RestartScope',
    'SYNCHRONIZATION_JOB',
    'SYNCHRONIZATION_SCHEMA',
    'SYNCHRONIZATION_TEMPLATE',
    'Shape',
    'SigningCertificate',
    'SingleSignOnArgs',
    'TooManyDeletesAction',
    'WaitArgs',
    'WaitOutcome',
    'activeCertificateExpiry',
    'applyMappings',
    'canaryLagWait',
    'collectionOf',
    'createGraphClient',
    'exportPortalApp',
    'federationMetadataUrlFor',
    'findSyncTemplate',
    'formatOnDemand',
    'getJobStatus',
    'jobProblems',
    'listProvisioningLogs',
    'metadataAuthorityHost',
    'onDemandVerdict',
    'parseRestartScopes',
    'planDeployment',
    'planMappings',
    'provisionOnDemand',
    'readMappings',
    'readPortalApp',
    'readProvisioning',
    'readSingleSignOn',
    'resetMappings',
    'resource',
    'restartJob',
    'runCanary',
    'saveCredentials',
    'servicePrincipalObjectId',
    'setProvisioning',
    'setSingleSignOn',
    'singleSignOnDrift',
    'testSavedCredentials',
    'thumbprintOf',
    'tooManyDeletesAction',
    'waitForSteadyState',
  ],
};

/** The names an entry point exports: every name of its `export { … }` lists (it has no other kind). */
function exportedNames(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest);
  const names: string[] = [];
  source.forEachChild((node) => {
    if (ts.isExportDeclaration(node) && node.exportClause && ts.isNamedExports(node.exportClause)) {
      names.push(...node.exportClause.elements.map((e) => e.name.text));
    }
  });
  return names.sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sourceFiles(rel);
    return name.endsWith('.ts') ? [rel] : [];
  });
}

describe('the public API', () => {
  test('no module of the library re-exports another wholesale (export *)', () => {
    const wholesale = [...sourceFiles('constructs'), ...sourceFiles('cli')].filter((file) =>
      /^\s*export\s+(type\s+)?\*/m.test(readFileSync(path.join(ROOT, file), 'utf8')),
    );
    expect(wholesale).toEqual([]);
  });

  test('the entry points are the ones package.json exports', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      exports: Record<string, string | { types?: string }>;
    };
    const entries = Object.values(pkg.exports)
      .map((e) => (typeof e === 'string' ? undefined : e.types))
      .filter((t): t is string => t !== undefined)
      .map((t) => t.replace(/^\.\/lib\//, '').replace(/\.d\.ts$/, '.ts'));
    expect([...new Set(entries)].sort()).toEqual(Object.keys(PUBLIC_NAMES).sort());
  });

  test.each(Object.entries(PUBLIC_NAMES))('%s exports exactly its public names', (file, names) => {
    expect(exportedNames(file)).toEqual([...names].sort());
  });
});
