/** `scheme://user:password@` (any scheme): the password of a URL written in a text. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:'"]*):([^\s/?#@'"]*)@/gi;

/**
 * A text with the password of every URL in it replaced by `***` (`postgres://user:***@host/db`), for messages and
 * logs: a database URL given with its password must never be echoed back, even when it is malformed.
 * @param text - any message; text without a URL password comes back unchanged
 */
export function redactSecrets(text: string): string {
  return text.replace(URL_CREDENTIALS, (_m, scheme: string, user: string) => `${scheme}${user}:***@`);
}
