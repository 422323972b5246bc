/** Pulumi through the component: `RollbarProvisioning` under mocks, in a stack root, every registration awaited. */
import * as pulumi from '@pulumi/pulumi';
import { RollbarProvisioning } from '../../constructs/pulumi';
import { runCase, sinceStart, round } from '../child';
import { benchSpec } from '../spec';
import { installBenchMocks, promiseOf } from './pulumi-mocks';

runCase(async ({ n }) => {
  const mocks = await installBenchMocks();
  const spec = benchSpec(n);
  const start = sinceStart();
  const construct = await mocks.inStack(async () => {
    const token = new pulumi.Config('rollbar').requireSecret('secretToken');
    const component = new RollbarProvisioning('rollbar', { ...spec, secretToken: token });
    const declared = round(sinceStart() - start);
    await promiseOf(pulumi.all([component.synchronizationJobId, component.appRoleIds, component.servicePrincipalId]));
    return declared;
  });
  await mocks.settle();
  return { resources: mocks.registrations(), phases: { construct, resolve: round(sinceStart() - start - construct) } };
});
