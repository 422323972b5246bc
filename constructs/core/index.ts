/**
 * The engine-free model of Rollbar provisioning: spec types, defaults, validation, the spec's description,
 * naming, role ids, credential rendering, expressions and mapping patches. Imports no cdktf, constructs or Pulumi
 * package. Named exports only: a name listed here is public API, everything else in this folder is internal.
 * @module
 */
export type {
  AppRoleSpec,
  AssignmentSpec,
  AttributeMappingSpec,
  CanarySpec,
  FilterOperator,
  GroupMappingPatch,
  MappingsSpec,
  NotificationSpec,
  ObjectMappingPatch,
  PrincipalType,
  ProvisioningScope,
  RollbarProvisioningSpec,
  ScopingFilterClause,
  ScopingFilterGroup,
  SigningCertificateSpec,
  SsoSpec,
} from './spec';
export { PROBLEM_CODES, RollbarProvisioningError, formatProblem, type Problem, type ProblemCode } from './problems';
export { validateSpec, type ValidateOptions } from './validate';
export {
  DEFAULTS,
  resolveSpec,
  type CredentialSettings,
  type ResolvedAssignment,
  type ResolvedRole,
  type ResolvedSpec,
} from './defaults';
export { SPEC_DESCRIPTION, type KeyDescription, type ValueShape } from './description';
export { constructIds, pulumiNames } from './naming';
export { ROLE_ID_NAMESPACE, roleId } from './role-id';
export { DEFAULT_ACCESS_FORMS, isDefaultAccess } from './default-access';
export { renderSecrets, type Credential } from './secrets';
export { WARNING_CODES, specWarnings, type WarnableSpec, type Warning, type WarningCode } from './warnings';
export { parseExpression, type ParseOptions, type ParseResult } from './expression/parser';
export { printExpression } from './expression/printer';
export {
  COMPARISON_OPERATORS,
  type ArgumentNode,
  type AttributeNode,
  type ComparisonNode,
  type ComparisonOperator,
  type EmptyNode,
  type ExpressionNode,
  type FunctionNode,
  type LiteralNode,
  type Span,
  type StringNode,
  type ValueNode,
} from './expression/ast';
export { validateMappingsPatch } from './mappings/validate-patch';
export { mergeSchema, type MergeOptions, type MergeResult } from './mappings/merge-schema';
export {
  SCHEMA_DIFFERENCE_KINDS,
  schemaToPatch,
  type SchemaDifference,
  type SchemaDifferenceKind,
  type SchemaToPatchOptions,
  type SchemaToPatchResult,
} from './mappings/schema-to-patch';
export {
  EXPORT_DIFFERENCE_KINDS,
  EXPORT_NOTE_KINDS,
  MASKED_SECRET_VALUE,
  exportConfig,
  type DefaultAccessAssignment,
  type ExportDifference,
  type ExportImports,
  type ExportNote,
  type ExportNoteKind,
  type ExportResult,
  type PortalSnapshot,
} from './export';
export {
  ACCOUNT_NAME_PATTERN,
  CERTIFICATE_WARNING_DAYS,
  DEFAULT_SIGNING_CERTIFICATE,
  MAX_NOTIFICATION_EMAILS,
  ROLLBAR_SAML_IDENTIFIER,
  ROTATION_STEPS,
  certificateExpiry,
  federationMetadataUrl,
  resolveSso,
  rollbarSamlUrls,
  type CertificateExpiry,
  type ResolvedSso,
} from './sso';
export { ssoRules } from './rules/sso';
