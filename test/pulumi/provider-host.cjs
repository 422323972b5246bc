// A stand-in for Pulumi's dynamic provider host (@pulumi/pulumi/cmd/dynamic-provider/index.js): each provider's
// serialized text is evaluated once with require-from-string and no file name (so `require` resolves from the
// working directory), cached by its text, and `handler()` returns the provider whose methods are called.
// Requests arrive on stdin, one JSON object a line (never argv: they carry the token):
//   { id, requireFromString, provider, method, args }
// and each is answered on stdout, one line: { id, ok: true, result } or { id, ok: false, error }.
// As the real host does, a provider without `read` answers a read with the properties it was given (refresh
// changes nothing), and one without `delete` deletes nothing (dynamic-provider/index.js, read and delete).
'use strict';
const readline = require('node:readline');

const cache = new Map();
let queue = Promise.resolve();

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  queue = queue.then(async () => {
    const { id, requireFromString, provider, method, args } = JSON.parse(line);
    let reply;
    try {
      if (!cache.has(provider)) cache.set(provider, require(requireFromString)(provider).handler());
      const instance = cache.get(provider);
      let result;
      if (typeof instance[method] === 'function') result = await instance[method](...args);
      else if (method === 'read') result = { id: args[0], props: args[1] };
      else if (method !== 'delete') throw new Error(`the provider has no ${method}`);
      reply = { id, ok: true, result: result ?? null };
    } catch (e) {
      reply = { id, ok: false, error: String((e && e.message) || e) };
    }
    process.stdout.write(`${JSON.stringify(reply)}\n`);
  });
});
