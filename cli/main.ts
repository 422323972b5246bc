/** Entry point of the `rollbar-provisioning` CLI (commands arrive with the Graph work). */
export function main(argv: readonly string[]): Promise<number> {
  process.stdout.write(`rollbar-provisioning: no commands yet (${argv.join(' ')})\n`);
  return Promise.resolve(0);
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
