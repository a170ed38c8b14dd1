/** Whether a rule matches the search text (ID, clause, title or pack; case ignored; empty text: every rule). */
export function matchesRule(r: { readonly pack: string; readonly rule: { readonly id: string; readonly clause: string; readonly title: string } }, q: string): boolean {
  const t = q.trim().toLowerCase();
  if (t === '') return true;
  return [r.rule.id, r.rule.clause, r.rule.title, r.pack].some((s) => s.toLowerCase().includes(t));
}
