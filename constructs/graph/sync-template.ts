import type { SynchronizationTemplate } from '@microsoft/microsoft-graph-types';
import { RollbarProvisioningError } from '../core';
import { problem } from '../core/problems';
import type { GraphClient } from './client';
import { servicePrincipalObjectId, synchronizationPath } from './ids';
import { waitedFor, whileReplicating } from './replication';
import { SYNCHRONIZATION_TEMPLATE } from './shapes';

/**
 * The id of the service principal's sync template: the one marked `default`, or the only one. Rollbar's
 * template id is not published, so it is read from the tenant; when the choice is not obvious the user must
 * name it (`syncTemplateId`), never guess.
 */
export async function findSyncTemplate(
  client: GraphClient,
  a: { readonly servicePrincipalId: string },
): Promise<{ templateId: string }> {
  const oid = servicePrincipalObjectId(a.servicePrincipalId);
  const what = `the synchronization templates of service principal '${oid}'`;
  // Right after the application is created the list can be empty, or the service principal unknown (404, 403,
  // 409), until it replicates (replication.ts): both are waited out within the bound.
  const listed = await whileReplicating<SynchronizationTemplate[]>(client, what, async () => {
    const list = await client.list(`${synchronizationPath(oid)}/templates`, {
      shape: SYNCHRONIZATION_TEMPLATE,
      notFound: `The service principal '${oid}' is unknown: check servicePrincipalId (the Rollbar enterprise application's Object ID).`,
    });
    return list.length > 0 ? { value: list } : { notYet: 'the template list is empty' };
  });
  const templates: SynchronizationTemplate[] = 'value' in listed ? listed.value : [];
  const withId = templates.filter(
    (t): t is SynchronizationTemplate & { id: string } => typeof t.id === 'string' && t.id !== '',
  );
  const defaults = withId.filter((t) => t.default === true);
  const chosen =
    defaults.length === 1 ? defaults[0] : defaults.length === 0 && withId.length === 1 ? withId[0] : undefined;
  if (chosen) return { templateId: chosen.id };

  const ids = (defaults.length > 1 ? defaults : withId).map((t) => t.id);
  if (ids.length === 0) {
    throw new RollbarProvisioningError([
      problem(
        'SYNC_TEMPLATE_NOT_FOUND',
        'syncTemplateId',
        `be set, because service principal '${oid}' lists no synchronization template` +
          (listed.waitedMs > 0 ? ` (${waitedFor(what, listed.waitedMs)})` : ''),
        undefined,
        'Set syncTemplateId to the template id shown by GET /servicePrincipals/{id}/synchronization/templates, or check that the application was created from the Rollbar gallery template (it supports provisioning).',
      ),
    ]);
  }
  throw new RollbarProvisioningError([
    problem(
      'AMBIGUOUS_SYNC_TEMPLATE',
      'syncTemplateId',
      `be set, because service principal '${oid}' lists ${ids.length} synchronization templates${defaults.length > 1 ? ' marked default' : ' and none is marked default'}`,
      undefined,
      `Set syncTemplateId to one of: ${ids.join(', ')}.`,
    ),
  ]);
}
