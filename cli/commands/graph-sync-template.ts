import { findSyncTemplate } from '../../constructs/graph';
import { graphCommand, SERVICE_PRINCIPAL_FIELD, TENANT_FIELD } from '../graph-command';
import { READ_SYNC } from '../permissions';

/** `graph sync-template`: the service principal's default sync template id (CDKTF's external data source). */
export const syncTemplateCommand = graphCommand({
  name: 'graph sync-template',
  permissions: READ_SYNC,
  summary: "print the service principal's default synchronization template id",
  description:
    'Finds the synchronization template of the Rollbar service principal: the one marked default, or the only one.\n' +
    'With none or several, it fails and says to set syncTemplateId.',
  inputs: [SERVICE_PRINCIPAL_FIELD, TENANT_FIELD],
  outputs: [{ name: 'templateId', doc: 'the template id, for azuread_synchronization_job.template_id' }],
  example: `echo '{"servicePrincipalId":"00000000-0000-0000-0000-000000000000"}' | rollbar-provisioning graph sync-template`,
  async run(reader, _ctx, graph) {
    const servicePrincipalId = reader.string('servicePrincipalId', 'Pass the Rollbar service principal object id.');
    const tenantId = reader.optionalString('tenantId');
    reader.finish(['servicePrincipalId', 'tenantId']);
    const { templateId } = await findSyncTemplate(graph(tenantId), { servicePrincipalId });
    return { templateId };
  },
});
