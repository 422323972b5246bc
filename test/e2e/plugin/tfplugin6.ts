/**
 * The messages of Terraform's plugin protocol 6.8 (the version Terraform 1.11 speaks) that the stand-in
 * providers use, written from `docs/plugin-protocol/tfplugin6.8.proto` in hashicorp/terraform (v1.11 branch),
 * plus go-plugin's own services (`internal/plugin/grpc_controller.proto`, `grpc_stdio.proto`,
 * `grpc_broker.proto` in hashicorp/go-plugin) and the standard gRPC health service that go-plugin serves.
 * Field numbers are the .proto's; messages and fields the stand-ins never use are left out (a decoder skips
 * unknown fields, and Terraform does the same with ours).
 */
import type { Field, MessageType } from './protobuf';

const msg = (name: string, fields: Field[]): MessageType => ({ name, fields });
const str = (no: number, name: string): Field => ({ no, name, type: 'string' });
const bytes = (no: number, name: string): Field => ({ no, name, type: 'bytes' });
const bool = (no: number, name: string): Field => ({ no, name, type: 'bool' });
const int64 = (no: number, name: string): Field => ({ no, name, type: 'int64' });
const enumField = (no: number, name: string): Field => ({ no, name, type: 'enum' });
const sub = (no: number, name: string, message: () => MessageType, repeated = false): Field => ({
  no,
  name,
  type: 'message',
  message,
  repeated,
});
const map = (no: number, name: string, message: () => MessageType): Field => ({ no, name, type: 'map', message });

export const Empty = msg('Empty', []);

export const DynamicValue = msg('DynamicValue', [bytes(1, 'msgpack'), bytes(2, 'json')]);

export const AttributePathStep = msg('AttributePath.Step', [
  { no: 1, name: 'attribute_name', type: 'string', presence: true },
  { no: 2, name: 'element_key_string', type: 'string', presence: true },
  { no: 3, name: 'element_key_int', type: 'int64', presence: true },
]);
export const AttributePath = msg('AttributePath', [sub(1, 'steps', () => AttributePathStep, true)]);

/** Severity: 1 ERROR, 2 WARNING. */
export const Diagnostic = msg('Diagnostic', [
  enumField(1, 'severity'),
  str(2, 'summary'),
  str(3, 'detail'),
  sub(4, 'attribute', () => AttributePath),
]);
const diagnostics = (no: number): Field => sub(no, 'diagnostics', () => Diagnostic, true);

export const SchemaAttribute: MessageType = msg('Schema.Attribute', [
  str(1, 'name'),
  bytes(2, 'type'),
  str(3, 'description'),
  bool(4, 'required'),
  bool(5, 'optional'),
  bool(6, 'computed'),
  bool(7, 'sensitive'),
  bool(9, 'deprecated'),
]);
/** Nesting: 1 SINGLE, 2 LIST, 3 SET, 4 MAP, 5 GROUP. */
export const SchemaNestedBlock: MessageType = msg('Schema.NestedBlock', [
  str(1, 'type_name'),
  sub(2, 'block', () => SchemaBlock),
  enumField(3, 'nesting'),
  int64(4, 'min_items'),
  int64(5, 'max_items'),
]);
export const SchemaBlock: MessageType = msg('Schema.Block', [
  int64(1, 'version'),
  sub(2, 'attributes', () => SchemaAttribute, true),
  sub(3, 'block_types', () => SchemaNestedBlock, true),
  str(4, 'description'),
]);
export const Schema = msg('Schema', [int64(1, 'version'), sub(2, 'block', () => SchemaBlock)]);

export const ServerCapabilities = msg('ServerCapabilities', [
  bool(1, 'plan_destroy'),
  bool(2, 'get_provider_schema_optional'),
  bool(3, 'move_resource_state'),
]);

const typeNames = (name: string): MessageType => msg(name, [str(1, 'type_name')]);

export const GetMetadataResponse = msg('GetMetadata.Response', [
  sub(1, 'server_capabilities', () => ServerCapabilities),
  diagnostics(2),
  sub(3, 'data_sources', () => typeNames('DataSourceMetadata'), true),
  sub(4, 'resources', () => typeNames('ResourceMetadata'), true),
]);

export const GetProviderSchemaResponse = msg('GetProviderSchema.Response', [
  sub(1, 'provider', () => Schema),
  map(2, 'resource_schemas', () => Schema),
  map(3, 'data_source_schemas', () => Schema),
  diagnostics(4),
  sub(6, 'server_capabilities', () => ServerCapabilities),
]);

export const ValidateProviderConfigRequest = msg('ValidateProviderConfig.Request', [
  sub(1, 'config', () => DynamicValue),
]);
export const ValidateProviderConfigResponse = msg('ValidateProviderConfig.Response', [diagnostics(2)]);

export const RawState = msg('RawState', [
  bytes(1, 'json'),
  { no: 2, name: 'flatmap', type: 'map', mapValue: 'string' },
]);
export const UpgradeResourceStateRequest = msg('UpgradeResourceState.Request', [
  str(1, 'type_name'),
  int64(2, 'version'),
  sub(3, 'raw_state', () => RawState),
]);
export const UpgradeResourceStateResponse = msg('UpgradeResourceState.Response', [
  sub(1, 'upgraded_state', () => DynamicValue),
  diagnostics(2),
]);

export const ValidateConfigRequest = msg('ValidateResourceConfig.Request', [
  str(1, 'type_name'),
  sub(2, 'config', () => DynamicValue),
]);
export const ValidateConfigResponse = msg('ValidateResourceConfig.Response', [diagnostics(1)]);

export const ConfigureProviderRequest = msg('ConfigureProvider.Request', [
  str(1, 'terraform_version'),
  sub(2, 'config', () => DynamicValue),
]);
export const ConfigureProviderResponse = msg('ConfigureProvider.Response', [diagnostics(1)]);

export const ReadResourceRequest = msg('ReadResource.Request', [
  str(1, 'type_name'),
  sub(2, 'current_state', () => DynamicValue),
  bytes(3, 'private'),
]);
export const ReadResourceResponse = msg('ReadResource.Response', [
  sub(1, 'new_state', () => DynamicValue),
  diagnostics(2),
  bytes(3, 'private'),
]);

export const PlanResourceChangeRequest = msg('PlanResourceChange.Request', [
  str(1, 'type_name'),
  sub(2, 'prior_state', () => DynamicValue),
  sub(3, 'proposed_new_state', () => DynamicValue),
  sub(4, 'config', () => DynamicValue),
  bytes(5, 'prior_private'),
]);
export const PlanResourceChangeResponse = msg('PlanResourceChange.Response', [
  sub(1, 'planned_state', () => DynamicValue),
  sub(2, 'requires_replace', () => AttributePath, true),
  bytes(3, 'planned_private'),
  diagnostics(4),
]);

export const ApplyResourceChangeRequest = msg('ApplyResourceChange.Request', [
  str(1, 'type_name'),
  sub(2, 'prior_state', () => DynamicValue),
  sub(3, 'planned_state', () => DynamicValue),
  sub(4, 'config', () => DynamicValue),
  bytes(5, 'planned_private'),
]);
export const ApplyResourceChangeResponse = msg('ApplyResourceChange.Response', [
  sub(1, 'new_state', () => DynamicValue),
  bytes(2, 'private'),
  diagnostics(3),
]);

export const ImportResourceStateRequest = msg('ImportResourceState.Request', [str(1, 'type_name'), str(2, 'id')]);
export const ImportedResource = msg('ImportResourceState.ImportedResource', [
  str(1, 'type_name'),
  sub(2, 'state', () => DynamicValue),
  bytes(3, 'private'),
]);
export const ImportResourceStateResponse = msg('ImportResourceState.Response', [
  sub(1, 'imported_resources', () => ImportedResource, true),
  diagnostics(2),
]);

export const ReadDataSourceRequest = msg('ReadDataSource.Request', [
  str(1, 'type_name'),
  sub(2, 'config', () => DynamicValue),
]);
export const ReadDataSourceResponse = msg('ReadDataSource.Response', [
  sub(1, 'state', () => DynamicValue),
  diagnostics(2),
]);

export const StopProviderResponse = msg('StopProvider.Response', [str(1, 'Error')]);

/** grpc.health.v1: status 1 is SERVING. */
export const HealthCheckRequest = msg('HealthCheckRequest', [str(1, 'service')]);
export const HealthCheckResponse = msg('HealthCheckResponse', [enumField(1, 'status')]);
