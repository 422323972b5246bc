// The recording mocks live with the stacks, where the main job (`npm run synth`) uses them too.
export * from '../../stacks/pulumi/offline-mocks';
