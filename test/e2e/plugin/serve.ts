/**
 * Serves a provider the way Terraform launches one (hashicorp/go-plugin `server.go` Serve, which Terraform's
 * `internal/plugin` uses): check the magic cookie, pick protocol 6 from PLUGIN_PROTOCOL_VERSIONS, listen on
 * loopback, and with automatic mutual TLS (PLUGIN_CLIENT_CERT set by Terraform) serve TLS with a fresh
 * self-signed certificate while requiring the client's, then print the handshake line
 * `CORE-PROTOCOL|APP-PROTOCOL|NETWORK|ADDRESS|PROTOCOL|SERVER-CERT` (`1|6|tcp|127.0.0.1:PORT|grpc|<base64 DER,
 * no padding>`). Beside tfplugin6.Provider it serves go-plugin's controller (Shutdown), stdio and broker
 * services and the gRPC health check, as go-plugin's GRPCServer does.
 */
import * as grpc from '@grpc/grpc-js';
import { selfSignedLocalhostCert } from './cert';
import { decode, encode, type Message, type MessageType } from './protobuf';
import * as pb from './tfplugin6';

/** From hashicorp/terraform `internal/plugin/serve.go` (Handshake). */
const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
const CORE_PROTOCOL_VERSION = 1;
const APP_PROTOCOL_VERSION = 6;

/** One unary RPC: request type, response type, handler. */
export interface Rpc {
  readonly request: MessageType;
  readonly response: MessageType;
  readonly handle: (request: Message) => Promise<Message> | Message;
}

function unary(
  service: string,
  methods: Record<string, Rpc>,
): [grpc.ServiceDefinition, grpc.UntypedServiceImplementation] {
  const definition: Record<string, grpc.MethodDefinition<Message, Message>> = {};
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const [name, rpc] of Object.entries(methods)) {
    definition[name] = {
      path: `/${service}/${name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (m: Message) => encode(rpc.request, m),
      requestDeserialize: (b: Buffer) => decode(rpc.request, b),
      responseSerialize: (m: Message) => encode(rpc.response, m),
      responseDeserialize: (b: Buffer) => decode(rpc.response, b),
      originalName: name,
    };
    implementation[name] = (call: grpc.ServerUnaryCall<Message, Message>, callback: grpc.sendUnaryData<Message>) => {
      Promise.resolve()
        .then(() => rpc.handle(call.request))
        .then(
          (response) => callback(null, response),
          (e: unknown) => {
            log(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
            callback({ code: grpc.status.INTERNAL, details: e instanceof Error ? e.message : String(e) });
          },
        );
    };
  }
  return [definition, implementation];
}

/** Logs to stderr, which go-plugin forwards to Terraform's log (TF_LOG=debug shows it). */
export function log(line: string): void {
  process.stderr.write(`[stand-in] ${line}\n`);
}

/** Serves `provider` (tfplugin6.Provider methods by name) until Terraform asks it to stop. */
export function serve(provider: Record<string, Rpc>): void {
  if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    process.stderr.write(
      'This binary is a plugin. These are not meant to be executed directly.\n' +
        'Please execute the program that consumes these plugins, which will\n' +
        'load any plugins automatically\n',
    );
    process.exit(1);
  }
  const versions = (process.env.PLUGIN_PROTOCOL_VERSIONS ?? '').split(',').map((v) => Number(v.trim()));
  if (!versions.includes(APP_PROTOCOL_VERSION)) {
    process.stderr.write(`stand-in provider: speaks plugin protocol 6 only, the client offers ${versions.join(',')}\n`);
    process.exit(1);
  }
  const clientCert = process.env.PLUGIN_CLIENT_CERT;
  if (clientCert === undefined || clientCert === '') {
    process.stderr.write('stand-in provider: serves automatic mutual TLS only, and PLUGIN_CLIENT_CERT is not set\n');
    process.exit(1);
  }
  const cert = selfSignedLocalhostCert();
  const credentials = grpc.ServerCredentials.createSsl(
    Buffer.from(clientCert),
    [{ private_key: Buffer.from(cert.keyPem), cert_chain: Buffer.from(cert.certPem) }],
    true, // RequireAndVerifyClientCert, against the client's own certificate
  );

  const server = new grpc.Server();
  const stop = (): void => {
    server.forceShutdown();
    process.exit(0);
  };
  server.addService(...unary('tfplugin6.Provider', provider));
  server.addService(
    ...unary('plugin.GRPCController', {
      Shutdown: {
        request: pb.Empty,
        response: pb.Empty,
        handle: () => {
          setImmediate(stop);
          return {};
        },
      },
    }),
  );
  server.addService(
    ...unary('grpc.health.v1.Health', {
      Check: { request: pb.HealthCheckRequest, response: pb.HealthCheckResponse, handle: () => ({ status: 1 }) },
    }),
  );
  // go-plugin's stdio and broker streams: kept open and silent (the stand-ins write nothing to stdout after the
  // handshake, and dispense no sub-plugins).
  const openStream = (service: string, method: string, requestStream: boolean): void => {
    server.addService(
      {
        [method]: {
          path: `/${service}/${method}`,
          requestStream,
          responseStream: true,
          requestSerialize: () => Buffer.alloc(0),
          requestDeserialize: () => ({}),
          responseSerialize: () => Buffer.alloc(0),
          responseDeserialize: () => ({}),
        },
      },
      { [method]: () => undefined },
    );
  };
  openStream('plugin.GRPCStdio', 'StreamStdio', false);
  openStream('plugin.GRPCBroker', 'StartStream', true);

  server.bindAsync('127.0.0.1:0', credentials, (err, port) => {
    if (err) {
      process.stderr.write(`stand-in provider: cannot listen: ${err.message}\n`);
      process.exit(1);
    }
    const serverCert = cert.der.toString('base64').replace(/=+$/, '');
    process.stdout.write(`${CORE_PROTOCOL_VERSION}|${APP_PROTOCOL_VERSION}|tcp|127.0.0.1:${port}|grpc|${serverCert}\n`);
  });
  // Terraform interrupts with SIGINT on Ctrl-C; go-plugin servers ignore it and wait for Shutdown or a kill.
  process.on('SIGINT', () => undefined);
}
