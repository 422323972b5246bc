/**
 * GraphError is one kind of the package's one error family: a RollbarProvisioningError with a GRAPH_* code and one
 * problem naming the call, Graph's own code kept as data, and no secret in any field.
 */
import { RollbarProvisioningError, UsageError } from '../../constructs/core/problems';
import { GraphError } from '../../constructs/graph';
import { errorFromResponse, shownCode } from '../../constructs/graph/errors';
import { findSecretForms } from '../secret-forms';

const CONTEXT = { method: 'POST', path: '/servicePrincipals/sp/synchronization/jobs/j/validateCredentials' };

function denied(body: unknown, status = 403): GraphError {
  return errorFromResponse(CONTEXT, status, new Headers({ 'request-id': 'req-1' }), JSON.stringify(body), 'cid', 1);
}

describe('the family', () => {
  test('a failed response is a GraphError and a RollbarProvisioningError with one GRAPH_HTTP_ERROR problem', () => {
    const e = denied({ error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges.' } });

    expect(e).toBeInstanceOf(GraphError);
    expect(e).toBeInstanceOf(RollbarProvisioningError);
    expect(e).not.toBeInstanceOf(UsageError);
    expect(e.name).toBe('GraphError');
    expect(e.code).toBe('GRAPH_HTTP_ERROR');
    expect(e.codes).toEqual(['GRAPH_HTTP_ERROR']);
    expect(e.problems).toEqual([
      {
        code: 'GRAPH_HTTP_ERROR',
        path: 'POST /servicePrincipals/sp/synchronization/jobs/j/validateCredentials',
        message: e.message,
      },
    ]);
  });

  test('a failure with no request names Microsoft Graph as its path, and keeps its message as given', () => {
    const e = new GraphError({ code: 'GRAPH_CREDENTIAL_UNAVAILABLE', message: 'Could not get a token.' });

    expect(e.message).toBe('Could not get a token.');
    expect(e.problems).toEqual([
      { code: 'GRAPH_CREDENTIAL_UNAVAILABLE', path: 'Microsoft Graph', message: 'Could not get a token.' },
    ]);
    expect(e.graphCode).toBeUndefined();
  });

  test('other errors of the family are not GraphErrors', () => {
    expect(new RollbarProvisioningError([])).not.toBeInstanceOf(GraphError);
    expect(new UsageError('--max needs a value')).not.toBeInstanceOf(GraphError);
    expect(new Error('plain')).not.toBeInstanceOf(GraphError);
  });
});

describe("Graph's own code", () => {
  test('is kept as graphCode, shown in the message, and shown in place of ours', () => {
    const e = denied({ error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges.' } });

    expect(e.graphCode).toBe('Authorization_RequestDenied');
    expect(e.status).toBe(403);
    expect(e.requestId).toBe('req-1');
    expect(e.graphMessage).toBe('Insufficient privileges.');
    expect(e.message).toContain('(HTTP 403, code Authorization_RequestDenied, request-id req-1)');
    expect(shownCode(e)).toBe('Authorization_RequestDenied');
  });

  test('is absent when Graph sent none: the message names no code, and ours is shown', () => {
    const e = errorFromResponse(CONTEXT, 502, new Headers(), '<html>Bad gateway</html>', 'cid', 1);

    expect(e.code).toBe('GRAPH_HTTP_ERROR');
    expect(e.graphCode).toBeUndefined();
    expect(e.message).toContain('(HTTP 502, request-id cid)');
    expect(e.message).not.toContain('code ');
    expect(shownCode(e)).toBe('GRAPH_HTTP_ERROR');
  });
});

describe('withMessage', () => {
  test('keeps code, graphCode, status, request id, Graph message and path, with the new message', () => {
    const e = denied({ error: { code: 'BadRequest', message: 'The token was rejected.' } }, 400);

    const retold = e.withMessage(`Test Connection failed, nothing was saved. ${e.message}`);

    expect(retold).toBeInstanceOf(GraphError);
    expect(retold).toBeInstanceOf(RollbarProvisioningError);
    expect(retold).not.toBe(e);
    expect(retold).toMatchObject({
      code: 'GRAPH_HTTP_ERROR',
      graphCode: 'BadRequest',
      status: 400,
      requestId: 'req-1',
      graphMessage: 'The token was rejected.',
      name: 'GraphError',
    });
    expect(retold.message).toBe(`Test Connection failed, nothing was saved. ${e.message}`);
    expect(retold.problems).toEqual([{ code: 'GRAPH_HTTP_ERROR', path: e.problems[0]!.path, message: retold.message }]);
  });

  test('keeps the bytes read of a body too large', () => {
    const e = new GraphError({
      code: 'GRAPH_RESPONSE_TOO_LARGE',
      message: 'too large',
      status: 200,
      bytesRead: 4_194_305,
      request: 'GET /x',
    });

    expect(e.withMessage('still too large')).toMatchObject({ code: 'GRAPH_RESPONSE_TOO_LARGE', bytesRead: 4_194_305 });
  });
});

describe('secrets', () => {
  const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.graph-bearer-token-value';
  const SCIM = 'rollbar-scim-token-0123456789abcdef';
  const secrets = [TOKEN, SCIM];

  /** Every string a caller can read from the error, its problems and its text forms. */
  function fields(e: GraphError): Record<string, string> {
    return {
      message: e.message,
      graphMessage: e.graphMessage,
      graphCode: e.graphCode ?? '',
      requestId: e.requestId ?? '',
      problems: JSON.stringify(e.problems),
      json: JSON.stringify(e),
      string: String(e),
      stack: e.stack ?? '',
    };
  }

  function leaks(e: GraphError): string[] {
    return Object.entries(fields(e)).flatMap(([where, text]) => findSecretForms(where, text, secrets));
  }

  test('are scrubbed from every field of an error whose body, code, request id and path echo them', () => {
    const body = { error: { code: `Bad_${SCIM}`, message: `Token ${TOKEN} and secret ${SCIM} are not valid.` } };
    const e = errorFromResponse(
      { method: 'PUT', path: `/servicePrincipals/sp/synchronization/secrets?debug=${SCIM}`, secrets },
      400,
      new Headers({ 'request-id': `req-${TOKEN}` }),
      JSON.stringify(body),
      'cid',
      1,
    );

    // The fields are filled in, so that an empty one cannot pass for a scrubbed one.
    expect(e.graphMessage).toContain('are not valid');
    expect(e.graphCode).toMatch(/^Bad_/);
    expect(e.problems[0]!.path).toMatch(/^PUT \/servicePrincipals\/sp\/synchronization\/secrets/);
    expect(leaks(e)).toEqual([]);
  });

  test('stay scrubbed from a message given to withMessage, which did not name them again', () => {
    const e = new GraphError({ code: 'GRAPH_TIMEOUT', message: 'timed out', request: 'POST /x', secrets });

    const retold = e.withMessage(`The save of ${SCIM} timed out (bearer ${TOKEN}).`);

    expect(retold.message).toContain('The save of');
    expect(leaks(retold)).toEqual([]);
  });
});
