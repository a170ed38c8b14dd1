/** The message for a "repeat the password" field: undefined while it is empty or matches. */
export function repeatError(password: string, repeat: string): string | undefined {
  return repeat !== '' && repeat !== password ? 'the two passwords differ' : undefined;
}

/** The `/reset-password` link an administrator hands a user (the secret travels separately, never in the URL). */
export function resetLink(origin: string, username: string): string {
  return `${origin}/reset-password?username=${encodeURIComponent(username)}`;
}

/** Upper-cases a set-up code as it is typed and puts the dash in after four characters. */
export function formatSetupCode(typed: string): string {
  const s = typed.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 8);
  return s.length > 4 ? `${s.slice(0, 4)}-${s.slice(4)}` : s;
}
