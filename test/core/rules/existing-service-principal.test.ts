import { existingServicePrincipalRule } from '../../../constructs/core/rules/existing-service-principal';
import { codesAndPaths, context, GROUP, type Row, UNRESOLVED, withUnresolved, ZERO } from './table';

const PATH = 'existingServicePrincipalObjectId';
const rows: Row[] = [
  ['absent', {}, []],
  ['an object id', { existingServicePrincipalObjectId: GROUP }, []],
  ['an object id in capitals', { existingServicePrincipalObjectId: GROUP.toUpperCase() }, []],
  ['an application name', { existingServicePrincipalObjectId: 'Rollbar' }, [['INVALID_OBJECT_ID', PATH]]],
  ['the zero GUID', { existingServicePrincipalObjectId: ZERO }, [['INVALID_OBJECT_ID', PATH]]],
  ['a GUID in braces', { existingServicePrincipalObjectId: `{${GROUP}}` }, [['INVALID_OBJECT_ID', PATH]]],
];

describe('existingServicePrincipalRule', () => {
  test.each(rows)('%s', (_name, spec, expected) => {
    expect(codesAndPaths(existingServicePrincipalRule(spec, context()))).toEqual(expected);
  });

  test('calls the zero GUID a placeholder', () => {
    expect(existingServicePrincipalRule({ existingServicePrincipalObjectId: ZERO }, context())[0]?.message).toContain(
      'The zero GUID is a placeholder: copy the Object ID of the Rollbar enterprise application',
    );
  });

  test('skips an unresolved value', () => {
    expect(existingServicePrincipalRule({ existingServicePrincipalObjectId: UNRESOLVED }, withUnresolved())).toEqual(
      [],
    );
  });
});
