import { escapeUnsafe } from '../constructs/core/unsafe-text';

/**
 * How text from a configuration or from Microsoft Graph is shown to people. Graph's messages are written by a
 * service, not by us: one can be as long as a response body and hold any character. On a terminal (and in
 * Terraform's error, which quotes a failed step's output) each is one line, its control characters written as
 * `\uXXXX`, cut to {@link MAX_GRAPH_MESSAGE} characters; `--json` keeps it whole.
 */

/** The longest Graph message shown whole to a person. */
export const MAX_GRAPH_MESSAGE = 500;

/** `text` as one inert line: every control character (newlines too) and bidirectional override escaped. */
export function oneLine(text: string): string {
  return escapeUnsafe(text);
}

/** A message from Graph for a person: one line, cut to {@link MAX_GRAPH_MESSAGE} characters. */
export function graphText(text: string): string {
  const line = oneLine(text);
  return line.length <= MAX_GRAPH_MESSAGE ? line : `${line.slice(0, MAX_GRAPH_MESSAGE - 1)}…`;
}

/**
 * A whole error message that quotes Graph's message `graphMessage` somewhere inside it: one line, with the quote
 * cut as {@link graphText} cuts it.
 */
export function messageQuotingGraph(message: string, graphMessage: string): string {
  const cut = graphText(graphMessage);
  const quoted = oneLine(graphMessage);
  const line = oneLine(message);
  return quoted === cut || !line.includes(quoted) ? line : line.split(quoted).join(cut);
}
