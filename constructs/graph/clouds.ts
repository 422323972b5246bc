import { RollbarProvisioningError, type Problem } from '../core';
import { problem } from '../core/problems';
/**
 * Where the Graph steps may send a token: the Microsoft Graph root and the sign-in authority of one cloud, or a
 * loopback emulator. The bearer token and the Rollbar SCIM token travel in these requests, so an address is checked
 * before anything is sent, and anything else is refused unless named exactly in ROLLBAR_GRAPH_ALLOW_HOST.
 *
 * The cloud names are the ones the azuread provider accepts for `environment` / ARM_ENVIRONMENT, and the hosts are
 * the ones its SDK uses for them:
 * - names: hashicorp/go-azure-sdk `sdk/environments/from_name.go` (FromName: `global`/`public`,
 *   `usgovernment`/`usgovernmentl4`, `dod`/`usgovernmentl5`, `china`; `canary` is Microsoft's internal ring and is
 *   not offered here), the same list as hashicorp/terraform-provider-azuread `internal/provider/provider.go`;
 * - hosts: hashicorp/go-azure-sdk `sdk/environments/azure_public.go`, `azure_gov.go` (AzureUSGovernment and
 *   AzureUSGovernmentL5: "L5 is Azure Government with a different Microsoft Graph endpoint"), `azure_china.go`
 *   (`MicrosoftGraph` and `Authorization.LoginEndpoint`).
 */

/** One national cloud: its Graph root and its sign-in authority. */
export interface Cloud {
  /** The canonical ARM_ENVIRONMENT name. */
  readonly name: string;
  /** Every ARM_ENVIRONMENT spelling that selects it (lower case). */
  readonly names: readonly string[];
  /** Microsoft Graph root, without the API version. */
  readonly graphRoot: string;
  /** Microsoft Entra sign-in authority host. */
  readonly authorityHost: string;
}

export const CLOUDS: readonly Cloud[] = [
  {
    name: 'global',
    names: ['global', 'public'],
    graphRoot: 'https://graph.microsoft.com',
    authorityHost: 'https://login.microsoftonline.com',
  },
  {
    name: 'usgovernment',
    names: ['usgovernment', 'usgovernmentl4'],
    graphRoot: 'https://graph.microsoft.us',
    authorityHost: 'https://login.microsoftonline.us',
  },
  {
    name: 'dod',
    names: ['dod', 'usgovernmentl5'],
    graphRoot: 'https://dod-graph.microsoft.us',
    authorityHost: 'https://login.microsoftonline.us',
  },
  {
    name: 'china',
    names: ['china'],
    graphRoot: 'https://microsoftgraph.chinacloudapi.cn',
    authorityHost: 'https://login.chinacloudapi.cn',
  },
];

/** The addresses the client may use, checked. */
export interface GraphEndpoints {
  /** Graph root URL, without the version and without a trailing slash. */
  readonly graphRoot: string;
  /** Sign-in authority host for `@azure/identity`. */
  readonly authorityHost: string;
  /** The cloud whose hosts these are (ARM_ENVIRONMENT's, or the one ROLLBAR_GRAPH_URL names). */
  readonly cloud: string;
}

const NAMES = CLOUDS.flatMap((c) => c.names).join(', ');
const FIX =
  'Use https:// on the Microsoft Graph host of your cloud (set ARM_ENVIRONMENT, or leave ROLLBAR_GRAPH_URL unset), ' +
  'a loopback emulator (http://127.0.0.1:PORT, http://localhost:PORT, http://[::1]:PORT), or name one extra host ' +
  'exactly in ROLLBAR_GRAPH_ALLOW_HOST.';

/**
 * Resolves and checks the Graph root and the authority. `baseUrl`/`authorityHost` given by a program win over the
 * environment (ROLLBAR_GRAPH_URL, ROLLBAR_AUTHORITY_HOST); without them both follow ARM_ENVIRONMENT. Throws one
 * RollbarProvisioningError listing every problem; nothing has been sent when it throws.
 */
export function resolveEndpoints(
  env: NodeJS.ProcessEnv,
  given: { readonly baseUrl?: string; readonly authorityHost?: string } = {},
): GraphEndpoints {
  const problems: Problem[] = [];
  const envName = nonEmpty(env.ARM_ENVIRONMENT)?.toLowerCase();
  const named = envName === undefined ? undefined : CLOUDS.find((c) => c.names.includes(envName));
  if (envName !== undefined && named === undefined) {
    problems.push(
      problem(
        'UNKNOWN_CLOUD',
        'ARM_ENVIRONMENT',
        `be a cloud name the azuread provider accepts (${NAMES})`,
        env.ARM_ENVIRONMENT,
        'Set it as for the azuread provider, or unset it for the global cloud.',
      ),
    );
  }
  const allowHost = nonEmpty(env.ROLLBAR_GRAPH_ALLOW_HOST)?.toLowerCase();
  const rawRoot = given.baseUrl ?? nonEmpty(env.ROLLBAR_GRAPH_URL);
  const rawAuthority = given.authorityHost ?? nonEmpty(env.ROLLBAR_AUTHORITY_HOST);
  const rootSource = given.baseUrl !== undefined ? 'baseUrl' : 'ROLLBAR_GRAPH_URL';
  const authoritySource = given.authorityHost !== undefined ? 'authorityHost' : 'ROLLBAR_AUTHORITY_HOST';

  // The cloud in use: ARM_ENVIRONMENT's; else the one whose Graph host ROLLBAR_GRAPH_URL names; else global.
  const root = rawRoot === undefined ? undefined : checkUrl(rawRoot, rootSource, problems);
  const byRoot = root === undefined ? undefined : CLOUDS.find((c) => new URL(c.graphRoot).host === root.host);
  const cloud = named ?? byRoot ?? CLOUDS[0]!;
  if (root !== undefined && byRoot !== undefined && named !== undefined && byRoot !== named) {
    problems.push(
      problem(
        'GRAPH_ENDPOINT_NOT_ALLOWED',
        rootSource,
        `be the Microsoft Graph host of the cloud ARM_ENVIRONMENT selects (${cloud.graphRoot})`,
        rawRoot,
        `A token of one cloud is not sent to another: unset ${rootSource}, or set ARM_ENVIRONMENT=${byRoot.name}.`,
      ),
    );
  } else if (root !== undefined && byRoot === undefined) {
    allowOther(root, rawRoot!, rootSource, allowHost, problems);
  }

  const authority = rawAuthority === undefined ? undefined : checkUrl(rawAuthority, authoritySource, problems);
  if (authority !== undefined && authority.host !== new URL(cloud.authorityHost).host) {
    allowOther(authority, rawAuthority!, authoritySource, allowHost, problems);
  }
  if (problems.length > 0) throw new RollbarProvisioningError(problems, 'Refusing to call Microsoft Graph');
  return {
    graphRoot: root !== undefined ? stripSlash(root.href) : cloud.graphRoot,
    authorityHost: authority !== undefined ? stripSlash(authority.href) : cloud.authorityHost,
    cloud: cloud.name,
  };
}

/** True for a loopback host: 127.0.0.0/8, localhost, [::1]. `hostname` as the URL parser normalized it. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** A URL that is not a known cloud host: loopback (http allowed), or https on the one allowed host. */
function allowOther(url: URL, raw: string, source: string, allowHost: string | undefined, problems: Problem[]): void {
  if (isLoopback(url.hostname)) return;
  const allowed = allowHost !== undefined && (url.hostname === allowHost || url.host === allowHost);
  if (allowed && url.protocol === 'https:') return;
  problems.push(
    problem(
      'GRAPH_ENDPOINT_NOT_ALLOWED',
      source,
      allowed
        ? 'use https (only a loopback emulator may use http)'
        : `be a Microsoft Graph address (host '${url.hostname}' is not one)`,
      raw,
      FIX,
    ),
  );
}

/** Parses an endpoint URL: a scheme, no credentials, no query, no API version. Undefined (and a problem) if not. */
function checkUrl(raw: string, source: string, problems: Problem[]): URL | undefined {
  const fail = (rule: string, fix: string = FIX): undefined => {
    problems.push(problem('GRAPH_ENDPOINT_NOT_ALLOWED', source, rule, raw, fix));
    return undefined;
  };
  if (!/^https?:\/\//i.test(raw)) return fail('start with https:// (or http:// for a loopback emulator)');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('be a valid URL');
  }
  if (url.username !== '' || url.password !== '') return fail('have no user name or password before the host');
  if (url.search !== '' || url.hash !== '') return fail('have no query or fragment');
  if (/\/(v1\.0|beta)\/?$/i.test(url.pathname)) {
    return fail('be the root without the API version', `Remove the trailing ${url.pathname.replace(/\/$/, '')}.`);
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    return fail('use https (only a loopback emulator may use http)');
  }
  return url;
}

function stripSlash(href: string): string {
  return href.replace(/\/+$/, '');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
