import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { jsonTemplate, literal } from '../../constructs/cdktf/template-string';
import { evaluateLiterals } from './fixtures';

/** The synthesized string, as Terraform would read it from cdk.tf.json. */
function synthesized(build: (stack: TerraformStack) => string): string {
  const stack = new TerraformStack(Testing.app(), 'test');
  new TerraformOutput(stack, 'probe', { value: build(stack) });
  return (JSON.parse(Testing.synth(stack)) as { output: { probe: { value: string } } }).output.probe.value;
}

/** What cdktf's HCL renderer cannot carry outside an interpolation (it would come out broken or changed). */
function outsideInterpolations(template: string): string {
  return evaluateLiterals(template.replace(/\$\{"(?:[^"\\]|\\.)*"\}/g, '')).replace(/\$\{[^}]*\}/g, '');
}

describe('user text in Terraform templates', () => {
  it.each([
    ['plain text', 'plain text'],
    ['${var.x}', '$${var.x}'],
    ['100%{ if x }', '100%%{ if x }'],
    ['$ and % alone, {braces}', '$ and % alone, {braces}'],
    ['say "hi"', '${"say \\"hi\\""}'],
    ['C:\\scim ${x}', '${"C:\\\\scim $${x}"}'],
    ['two\nlines', '${"two\\nlines"}'],
  ])('writes %j as %j, which Terraform reads back verbatim', (text, written) => {
    expect(literal(text)).toBe(written);
    expect(evaluateLiterals(literal(text))).toBe(text);
    expect(outsideInterpolations(literal(text))).not.toMatch(/["\\\n]/);
  });

  it('leaves engine tokens alone', () => {
    expect(synthesized((stack) => literal(new TerraformVariable(stack, 'x', { type: 'string' }).stringValue))).toBe(
      '${var.x}',
    );
  });
});

describe('JSON for Terraform to complete', () => {
  const value = {
    mappings: { 'emails[type eq "work"].value': { source: 'Switch([IsSoftDeleted], , "False", "True")' } },
    path: 'C:\\scim',
    template: '${not.a.reference}',
    n: 5,
    on: true,
  };

  it('is literal JSON, keys sorted, when every value is known', () => {
    const text = jsonTemplate(value);
    expect(JSON.parse(evaluateLiterals(text))).toEqual(value);
    expect(Object.keys(JSON.parse(evaluateLiterals(text)) as object)).toEqual([
      'mappings',
      'n',
      'on',
      'path',
      'template',
    ]);
  });

  it('puts each engine token in jsonencode(), so quotes and backslashes in its value stay valid JSON', () => {
    const text = synthesized((stack) =>
      jsonTemplate({ ...value, tenantId: new TerraformVariable(stack, 'tenant', { type: 'string' }).stringValue }),
    );
    expect(text).toContain('${jsonencode(var.tenant)}');
    // Terraform evaluates jsonencode(var.tenant) to a JSON string; emulate it with a value full of escapes.
    const evaluated = evaluateLiterals(text).replace('${jsonencode(var.tenant)}', JSON.stringify('a"b\\c'));
    expect(JSON.parse(evaluated)).toEqual({ ...value, tenantId: 'a"b\\c' });
  });

  it('holds no quote or backslash outside an interpolation, which cdktf synth --hcl would mangle', () => {
    const text = synthesized((stack) =>
      jsonTemplate({ ...value, tenantId: new TerraformVariable(stack, 'tenant', { type: 'string' }).stringValue }),
    );
    expect(outsideInterpolations(text)).not.toMatch(/["\\]/);
    expect(outsideInterpolations(jsonTemplate(value))).not.toMatch(/["\\]/);
  });
});
