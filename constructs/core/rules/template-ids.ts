import { DEFAULTS } from '../defaults';
import { problem, type Problem } from '../problems';
import { isText, type RuleContext, type SpecInput } from './context';
import { GUID } from './object-id';

const SYNC_TEMPLATE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * INVALID_TEMPLATE_ID for an `applicationTemplateId` that is not a GUID (gallery template ids are) and a
 * `syncTemplateId` that is not a synchronization template id.
 */
export function templateIdsRule(spec: SpecInput, context: RuleContext): Problem[] {
  const out: Problem[] = [];
  const templateId = spec.applicationTemplateId;
  if (isText(templateId, context) && !GUID.test(templateId)) {
    out.push(
      problem(
        'INVALID_TEMPLATE_ID',
        'applicationTemplateId',
        'be the gallery template GUID',
        templateId,
        `Omit it to look the template up by display name '${DEFAULTS.galleryDisplayName}'.`,
      ),
    );
  }
  const syncTemplateId = spec.syncTemplateId;
  if (isText(syncTemplateId, context) && !SYNC_TEMPLATE_ID.test(syncTemplateId)) {
    out.push(
      problem(
        'INVALID_TEMPLATE_ID',
        'syncTemplateId',
        'be a synchronization template id (letters, digits, dot, dash, underscore)',
        syncTemplateId,
        "Omit it to use the service principal's default sync template, read at deploy time.",
      ),
    );
  }
  return out;
}
