/**
 * Pulumi's debug stacks: for every promise it creates while registering a resource, the Pulumi runtime keeps the
 * text of a `new Error().stack` (so that `PULUMI_DEBUG_PROMISE_LEAKS` can say where a leaked promise came from).
 * That is about thirty stack strings per resource, each V8's default ten frames long, held until the registration
 * is answered. When thousands of assignments are declared in one synchronous loop, every one of them is pending at
 * once, and at 10,000 assignments each frame of those strings costs about 20 MB of peak memory.
 */

/**
 * Frames in a debug stack while assignments are declared: the deepest runtime path (the promise, the property
 * transfer, `prepareResource`, `registerResource`, `Resource`, `CustomResource`), the `AppRoleAssignment`, and the
 * frame that declares it. The frames above are the program that created the component, the same for every child.
 */
export const CHILD_DEBUG_STACK_FRAMES = 8;

/**
 * Lowers V8's stack-trace limit to {@link CHILD_DEBUG_STACK_FRAMES} (never raises it) and returns the function that
 * restores it; call that in a `finally`. Changes nothing when `PULUMI_DEBUG_PROMISE_LEAKS` is set: whoever debugs
 * a leak gets Pulumi's full stacks. Pulumi's own source positions are not affected (it lifts the limit itself
 * when it records them).
 */
export function boundDebugStacks(): () => void {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return () => undefined;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Math.min(limit, CHILD_DEBUG_STACK_FRAMES);
  return () => {
    Error.stackTraceLimit = limit;
  };
}
