import { templateIdsRule } from '../../../constructs/core/rules/template-ids';
import { codesAndPaths, context, GROUP, type Row, UNRESOLVED, withUnresolved } from './table';

const rows: Row[] = [
  ['absent', {}, []],
  ['a gallery template GUID', { applicationTemplateId: GROUP }, []],
  ['a sync template id', { syncTemplateId: 'rollbar.v2_scim-1' }, []],
  [
    'a template name instead of its GUID',
    { applicationTemplateId: 'Rollbar' },
    [['INVALID_TEMPLATE_ID', 'applicationTemplateId']],
  ],
  ['a sync template id with a space', { syncTemplateId: 'rollbar scim' }, [['INVALID_TEMPLATE_ID', 'syncTemplateId']]],
  [
    'a sync template id starting with a dot',
    { syncTemplateId: '.rollbar' },
    [['INVALID_TEMPLATE_ID', 'syncTemplateId']],
  ],
  [
    'a sync template id of 129 characters',
    { syncTemplateId: 'r'.repeat(129) },
    [['INVALID_TEMPLATE_ID', 'syncTemplateId']],
  ],
  [
    'both wrong, in key order',
    { syncTemplateId: '!', applicationTemplateId: 'x' },
    [
      ['INVALID_TEMPLATE_ID', 'applicationTemplateId'],
      ['INVALID_TEMPLATE_ID', 'syncTemplateId'],
    ],
  ],
];

describe('templateIdsRule', () => {
  test.each(rows)('%s', (_name, spec, expected) => {
    expect(codesAndPaths(templateIdsRule(spec, context()))).toEqual(expected);
  });

  test('skips unresolved values', () => {
    expect(
      templateIdsRule({ applicationTemplateId: UNRESOLVED, syncTemplateId: UNRESOLVED }, withUnresolved()),
    ).toEqual([]);
  });
});
