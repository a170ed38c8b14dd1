/** The cookie that carries a login session's ID (HttpOnly, SameSite=Strict, Secure behind TLS). */
export const SESSION_COOKIE = 'dossier_session';

/** The cookie that carries the CSRF secret of a browser (the token itself travels in `X-CSRF-Token`). */
export const CSRF_COOKIE = 'dossier_csrf';

/** The header a cookie-authenticated write must carry its CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/** Methods that change nothing, so need no CSRF token. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);
