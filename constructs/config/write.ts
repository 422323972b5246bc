/**
 * Writes an exported configuration as `rollbar.yaml`: the data `exportConfig` returns, with the comments a team
 * needs to adopt it (keys are identity, the patch is against Microsoft's current template, what was left out and
 * why). Deterministic: no time stamp, no order from Graph, so a second export of the same app is byte-identical.
 */
import { Document, isMap, isScalar } from 'yaml';
import type { ExportResult } from '../core/export';

/** The head of the marked section that lists what the file does not carry. */
export const NOT_EXPRESSED_MARKER = 'NOT EXPRESSED IN THIS FILE';

const comment = (lines: readonly string[]): string => lines.map((l) => (l === '' ? '' : ` ${l}`)).join('\n');

/** Wraps text at 110 columns for a comment. */
function wrap(text: string, indent = ''): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + word.length + 1 > 110 - indent.length) {
      out.push(line);
      line = indent + word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') out.push(line);
  return out;
}

/** The YAML text of an exported configuration, with its comments. */
export function renderExportedConfig(result: ExportResult): string {
  const doc = new Document(result.config);
  doc.commentBefore = comment([
    'yaml-language-server: $schema=./node_modules/rollbar-provisioning/rollbar.schema.json',
    `Exported by 'rollbar-provisioning export' from the Rollbar app with service principal`,
    `${result.config.existingServicePrincipalObjectId ?? ''}. Adopting it (existingServicePrincipalObjectId) is meant to`,
    'change nothing: import the job, roles and assignments first (export --imports terraform|pulumi).',
    'The Rollbar token is not in this file, and never is: give it to the engine (TF_VAR_rollbar_secret_token, or',
    'pulumi config set --secret rollbar:secretToken).',
  ]);
  const top = doc.contents;
  if (isMap(top)) {
    for (const pair of top.items) {
      if (!isScalar(pair.key)) continue;
      const text = SECTION_COMMENTS[String(pair.key.value)];
      if (text !== undefined) pair.key.commentBefore = comment(text);
    }
  }
  const tail: string[] = [];
  if (result.defaultAccess.length > 0) {
    tail.push(
      'DEFAULT ACCESS ASSIGNMENTS, left out: this project does not assign Default Access (msiam_access). They keep',
      'working untouched. To manage one, add it under assignments with a role (and remove it in the portal):',
    );
    for (const d of result.defaultAccess) {
      tail.push(
        `  ${d.suggestedKey}:   # ${d.principalType} ${d.principalDisplayName ?? '(no display name)'}`,
        `    principalObjectId: ${d.principalObjectId}`,
        '    role: <one of the roles above>',
      );
    }
  }
  if (result.differences.length > 0) {
    if (tail.length > 0) tail.push('');
    tail.push(
      `${NOT_EXPRESSED_MARKER}: portal configuration the model cannot express. A deploy of this file does not`,
      'keep it: with `mappings`, schema differences are reverted to the patch; the rest is left unmanaged.',
    );
    for (const d of result.differences) {
      tail.push(...wrap(`- ${d.kind} ${d.path}: ${d.message}${d.job !== undefined ? ` Job: ${d.job}` : ''}`, '    '));
    }
  }
  if (tail.length > 0) doc.comment = comment(tail);
  return doc.toString({ lineWidth: 0 });
}

const SECTION_COMMENTS: Readonly<Record<string, readonly string[]>> = {
  roles: [
    "Roles as the portal has them, with their ids: a role made in the portal has a random id, which 'id' keeps,",
    'so adopting changes no role.',
  ],
  assignments: [
    'Keys are made from display names when exported and are identity (part of each resource address): they never',
    'follow a later rename. Rename a key only with a moved block or an alias.',
  ],
  mappings: [
    "A patch against Microsoft's current Rollbar template (the sync template's schema, read at export): if",
    'Microsoft changed the template since the app was set up, the difference is part of this patch.',
  ],
};
