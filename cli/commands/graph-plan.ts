import { metadataAuthorityHost, planDeployment } from '../../constructs/graph';
import { graphCommand, MAPPINGS_FIELD, SERVICE_PRINCIPAL_FIELD, TENANT_FIELD } from '../graph-command';
import { mappingsSpec } from '../input';
import { ssoInput } from './graph-set-sso';
import { READ_SYNC } from '../permissions';

const FIELDS = ['servicePrincipalId', 'tenantId', 'mappings', 'syncTemplateId', 'enabled', 'sso'];

/** `graph plan`: the one plan-time read of a deployment (CDKTF's `Plan` data source). */
export const planCommand = graphCommand({
  name: 'graph plan',
  permissions: READ_SYNC,
  summary: 'read what a deploy would change: sync template, mapping drift, job state (read-only)',
  description:
    "Finds the service principal's provisioning job (a Rollbar app has one; several are an error naming them) and\n" +
    'reports, in one process and one sign-in, what `terraform plan` needs: the sync template id while no job\n' +
    'exists, whether the live attribute mappings are the desired ones (and which target attributes differ), and\n' +
    "whether the job's state is what provisioningEnabled asks for (paused, disabled, quarantined). No job yet counts\n" +
    'as in sync. Writes nothing. A failure of Graph itself (sign-in, permissions, throttling) does not fail it:\n' +
    'Terraform reads it again before a destroy, which must not be blocked; readError says what failed, and the\n' +
    "stack's check blocks show it as a warning.",
  inputs: [
    SERVICE_PRINCIPAL_FIELD,
    TENANT_FIELD,
    {
      ...MAPPINGS_FIELD,
      doc: `optional. ${MAPPINGS_FIELD.doc.replace(/^required /, '')}; without it the schema is not read`,
    },
    { name: 'syncTemplateId', doc: "optional. The spec's syncTemplateId: no template is looked up when it is set." },
    { name: 'enabled', doc: "required, true or false: the spec's provisioningEnabled" },
    {
      name: 'sso',
      doc: "optional object (or JSON string): the spec's sso; without it single sign-on is not read",
    },
  ],
  outputs: [
    { name: 'templateId', doc: 'the sync template id while no job exists, "" once it does' },
    { name: 'jobId', doc: 'the job id, "" when there is none yet' },
    { name: 'mappingsInSync', doc: '"true" when the live schema is the desired one (or not managed, or no job yet)' },
    { name: 'drift', doc: 'the differing target attributes, "users <attribute>: <live> → <desired>; …" (at most 5)' },
    { name: 'desiredDigest', doc: 'sha256 of the desired schema ("" when the mappings are not managed)' },
    { name: 'jobOk', doc: '"true" when the job\'s state needs nothing from a deploy' },
    {
      name: 'jobState',
      doc: 'schedule state (Active, Paused, Disabled), with the quarantine reason; "none" before the job',
    },
    { name: 'jobDrift', doc: 'what the next apply does about the job\'s state ("" when nothing)' },
    { name: 'deletions', doc: 'a TooManyDeletes quarantine, left to an admin ("" when none)' },
    { name: 'readError', doc: 'why Graph could not be read ("" when it could); the other fields then assume no drift' },
    { name: 'warnings', doc: 'other warnings, one per line ("" when none)' },
    {
      name: 'federationMetadataUrl',
      doc: "the app's federation metadata URL on the cloud's sign-in host, what Rollbar takes (only with sso)",
    },
    { name: 'ssoInSync', doc: '"true" when SAML mode, sign-on URL and expiry e-mails are as declared (only with sso)' },
    { name: 'ssoDrift', doc: 'what differs in single sign-on ("" when nothing; only with sso)' },
  ],
  example: `rollbar-provisioning graph plan <<< '{"servicePrincipalId":"…","enabled":true,"mappings":{}}'`,
  async run(reader, ctx, graph) {
    const servicePrincipalId = reader.string('servicePrincipalId', 'Pass the Rollbar service principal object id.');
    const tenantId = reader.optionalString('tenantId');
    const raw = reader.object('mappings', false);
    const mappings = raw === undefined ? undefined : mappingsSpec(reader, raw);
    const syncTemplateId = reader.optionalString('syncTemplateId');
    const enabled = reader.boolean('enabled');
    const rawSso = reader.object('sso', false);
    const sso = rawSso === undefined ? undefined : ssoInput(reader, rawSso);
    reader.finish(FIELDS);
    const r = await planDeployment(graph(tenantId), {
      servicePrincipalId,
      enabled,
      ...(sso !== undefined && {
        sso: {
          accountName: sso.accountName,
          ...(sso.certificateNotificationEmails !== undefined && {
            notificationEmails: sso.certificateNotificationEmails,
          }),
          tenantId: tenantId ?? '',
          authorityHost: metadataAuthorityHost(ctx.env),
        },
      }),
      ...(mappings !== undefined && { mappings }),
      ...(syncTemplateId !== undefined && { syncTemplateId }),
    });
    for (const w of r.warnings) ctx.progress(`warning: ${w}`);
    return {
      templateId: r.templateId,
      jobId: r.jobId,
      mappingsInSync: String(r.mappingsInSync),
      drift: r.drift,
      desiredDigest: r.desiredDigest,
      jobOk: String(r.jobOk),
      jobState: r.jobState,
      jobDrift: r.jobDrift,
      deletions: r.deletions,
      readError: r.readError,
      warnings: r.warnings.join('\n'),
      // Only with sso: a plan without it answers as before.
      ...(sso !== undefined && {
        federationMetadataUrl: r.federationMetadataUrl,
        ssoInSync: String(r.ssoInSync),
        ssoDrift: r.ssoDrift,
      }),
    };
  },
});
