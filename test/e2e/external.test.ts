/**
 * The `external` stand-in behaves as hashicorp/external 2.3.5 documents and implements
 * (`docs/data-sources/external.md`, `internal/provider/data_source.go`): the query arrives as one JSON object on
 * stdin (null values left out), the program runs in `working_dir` (else Terraform's working directory), a
 * non-zero exit fails with the program's stderr, and output that is not a JSON object of strings fails with
 * "Unexpected External Program Results".
 */
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FakeGraph } from '../fake-graph/server';
import { installStandIns, removeDir, startFake, tempDir, Terraform } from './harness';

let dir: string;
let fake: FakeGraph;
let tf: Terraform;

const REQUIRED = `terraform {
  required_providers {
    external = { source = "hashicorp/external", version = "2.3.5" }
  }
}
`;

function configure(body: string): void {
  writeFileSync(path.join(tf.stackDir, 'main.tf'), REQUIRED + body);
}

beforeAll(async () => {
  dir = tempDir('external');
  fake = await startFake();
  const work = path.join(dir, 'work');
  mkdirSync(path.join(work, 'elsewhere'), { recursive: true });
  tf = new Terraform(realpathSync(work), installStandIns(dir), fake);
  configure('');
  await tf.ok(['init']);
});

afterAll(async () => {
  await fake?.stop();
  removeDir(dir);
});

test('the query is the program stdin, and working_dir is where it runs', async () => {
  configure(`
data "external" "echo" {
  program = ["sh", "-c", "cat"]
  query   = { greeting = "hello", nothing = null }
}
data "external" "here" {
  program = ["sh", "-c", "printf '{\\"cwd\\":\\"%s\\"}' \\"$(pwd)\\""]
}
data "external" "elsewhere" {
  program     = ["sh", "-c", "printf '{\\"cwd\\":\\"%s\\"}' \\"$(pwd)\\""]
  working_dir = "\${path.module}/elsewhere"
}
output "echo" { value = data.external.echo.result }
output "id" { value = data.external.echo.id }
output "here" { value = data.external.here.result.cwd }
output "elsewhere" { value = data.external.elsewhere.result.cwd }
`);
  await tf.ok(['apply', '-auto-approve']);
  const outputs = JSON.parse((await tf.ok(['output', '-json'])).stdout) as Record<string, { value: unknown }>;
  expect(outputs.echo?.value).toEqual({ greeting: 'hello' });
  expect(outputs.id?.value).toBe('-');
  expect(outputs.here?.value).toBe(tf.stackDir);
  expect(outputs.elsewhere?.value).toBe(path.join(tf.stackDir, 'elsewhere'));
});

test('a failing program or output that is not a JSON object of strings fails the plan, with the reason', async () => {
  configure(`
data "external" "stderr" {
  program = ["sh", "-c", "echo 'the fake rejected the token' >&2; exit 3"]
}
data "external" "silent" {
  program = ["sh", "-c", "exit 4"]
}
data "external" "number" {
  program = ["sh", "-c", "echo '{\\"count\\": 1}'"]
}
data "external" "list" {
  program = ["sh", "-c", "echo '[\\"a\\"]'"]
}
data "external" "text" {
  program = ["sh", "-c", "echo 'hello'"]
}
`);
  const plan = await tf.run(['plan']);
  expect(plan.code).toBe(1);
  // Terraform wraps a diagnostic's detail at 80 columns: compare with the line breaks as spaces.
  const errors = plan.output
    .split(/^Error: /m)
    .slice(1)
    .map((e) => e.replace(/\s+/g, ' '));
  const errorOf = (name: string): string => errors.find((e) => e.includes(`with data.external.${name},`)) ?? '';

  expect(errorOf('stderr')).toMatch(/^External Program Execution Failed/);
  expect(errorOf('stderr')).toContain('Error Message: the fake rejected the token');
  expect(errorOf('stderr')).toContain('State: exit status 3');
  expect(errorOf('silent')).toContain('The program was executed, however it returned no additional error messaging.');
  expect(errorOf('silent')).toContain('State: exit status 4');
  for (const name of ['number', 'list', 'text']) {
    expect(errorOf(name)).toMatch(/^Unexpected External Program Results/);
    expect(errorOf(name)).toContain('Program output must be a JSON encoded map of string keys and string values.');
  }
  expect(errorOf('list')).toContain(
    'Result Error: json: cannot unmarshal array into Go value of type map[string]string',
  );
  expect(errorOf('text')).toContain("Result Error: invalid character 'h' looking for beginning of value");
});
